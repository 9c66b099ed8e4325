// Orchestrates one run: settings, GET /me for every key, verdicts, report, and the alert issue.
// Every failure ends as a clear message and exit code 1; the step passes only when every key
// verifiably matches (or mismatches in a way the workflow allowed). The run's deadline starts here:
// timeout-seconds bounds the checks of all keys together, so the report is always written in time.

import { InputError, readSettings, type Settings } from './inputs.js';
import { allPass, checkKeys, overallResult } from './check.js';
import { Deadline } from './deadline.js';
import {
  announceCheck,
  announceVerdicts,
  reportInputProblems,
  setOutputs,
  ISSUE_MAX_BYTES,
  fitted,
  report,
  writeSummary
} from './report.js';
import { logger } from './logger.js';
import { asText, message, q } from './text.js';
import type { Result } from './verdict.js';

export async function run(): Promise<void> {
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (error) {
    if (error instanceof InputError) await reportInputProblems(error.problems);
    else logger.failed(unexpected(error));
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
    const made = report(settings, checked);
    await writeSummary(made);
    if (settings.alertIssue) await alert(settings.githubToken, overallResult(checked), fitted(made, ISSUE_MAX_BYTES));
    if (!allPass(settings, checked)) logger.failStep();
  } catch (error) {
    logger.failed(unexpected(error));
  } finally {
    deadline.dispose();
  }
}

/**
 * The alert issue, after the verdict, which nothing in it may change: not a proxy variable Octokit
 * cannot read (it fails as it loads), not a crash deep in its HTTP client (undici can throw where
 * no promise catches it). Octokit is loaded only here, so the plain check does not pay for it.
 */
async function alert(token: string, result: Result, table: string): Promise<void> {
  const warn = (error: unknown) =>
    logger.warning(
      asText(
        message`alert-issue: could not update the alert issue (${q(error instanceof Error ? error.message : String(error))}). The check itself is unaffected.`
      )
    );
  process.on('uncaughtException', warn);
  try {
    const { updateAlertIssue } = await import('./alert.js');
    await updateAlertIssue(token, result, table);
  } catch (error) {
    warn(error);
  } finally {
    process.off('uncaughtException', warn);
  }
}

/** A bug, not a verdict: still one line, without a stack trace, and the step fails closed. */
function unexpected(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return asText(message`Unexpected error, so the key is not verified: ${text}`);
}
