// Orchestrates one run: settings, GET /me for every key, verdicts, report, and the alert issue.
// Every failure ends as a clear message and exit code 1; the step passes only when every key
// verifiably matches (or mismatches in a way the workflow allowed). The run's deadline starts here:
// timeout-seconds bounds the checks of all keys together, so the report is always written in time.

import * as core from '@actions/core';
import { InputError, readSettings, type Settings } from './inputs.js';
import { allPass, checkKeys, overallResult } from './check.js';
import { Deadline } from './deadline.js';
import { announceCheck, announceVerdicts, setOutputs, summaryMarkdown, writeSummary } from './report.js';
import { logger } from './logger.js';
import { asText, message } from './text.js';

export async function run(): Promise<void> {
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (error) {
    logger.failed(error instanceof InputError ? error.message : unexpected(error));
    return;
  }
  const deadline = new Deadline(settings.timeoutMs);
  try {
    announceCheck(settings);
    const checked = await checkKeys(settings, deadline);
    for (const { key, verdict, attempts } of checked) {
      logger.debug(`${key.name}: ${verdict.result} after ${attempts} request(s).`);
    }
    setOutputs(settings, checked);
    announceVerdicts(settings, checked);
    await writeSummary(settings, checked);
    if (settings.alertIssue) {
      // Octokit is loaded only here, so the plain check does not pay for it.
      const { updateAlertIssue } = await import('./alert.js');
      await updateAlertIssue(settings.githubToken, overallResult(checked), summaryMarkdown(settings, checked));
    }
    if (!allPass(settings, checked)) process.exitCode = core.ExitCode.Failure;
  } catch (error) {
    logger.failed(unexpected(error));
  } finally {
    deadline.dispose();
  }
}

/** A bug, not a verdict: still one line, without a stack trace, and the step fails closed. */
function unexpected(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return asText(message`Unexpected error, so the key is not verified: ${text}`);
}
