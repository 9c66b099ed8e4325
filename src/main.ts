// Orchestrates one check: settings, GET /me, verdict, report. Every failure ends as one clear
// message and exit code 1; the step passes only on a verified match (or an allowed mismatch).

import * as core from '@actions/core';
import { InputError, readSettings, type Settings } from './inputs.js';
import { fetchMe } from './fullstory.js';
import { judge, passes } from './verdict.js';
import { announceCheck, announceVerdict, setOutputs, writeSummary } from './report.js';
import { oneLine } from './text.js';

export async function run(): Promise<void> {
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (error) {
    core.setFailed(error instanceof InputError ? error.message : unexpected(error));
    return;
  }
  try {
    announceCheck(settings);
    const outcome = await fetchMe(settings);
    core.debug(`GET /me ended as ${outcome.kind} after ${outcome.attempts} attempt(s).`);
    const verdict = judge(settings, outcome);
    setOutputs(verdict);
    announceVerdict(settings, verdict);
    await writeSummary(settings, verdict);
    if (!passes(settings, verdict)) process.exitCode = core.ExitCode.Failure;
  } catch (error) {
    core.setFailed(unexpected(error));
  }
}

/** A bug, not a verdict: still one line, without a stack trace, and the step fails closed. */
function unexpected(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error, so the key is not verified: ${oneLine(message)}`;
}
