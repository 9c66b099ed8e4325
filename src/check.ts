// The core that the action and the CLI share: check every key of the settings, concurrently, through
// one gate (the pace and the concurrency) and one deadline for all, and judge each against its policy.

import type { Deadline } from './deadline.js';
import type { KeySpec, Settings } from './inputs.js';
import { fetchMe } from './fullstory.js';
import { Gate, RateGate } from './limiter.js';
import { judge, passes, worst, type Result, type Verdict } from './verdict.js';

export interface Checked {
  key: KeySpec;
  verdict: Verdict;
  /** Requests made for this key: 0 when it could not be sent. */
  attempts: number;
}

/** Ends by `deadline`: a key whose turn has not come by then is an `error` of its own. */
export async function checkKeys(settings: Settings, deadline: Deadline): Promise<Checked[]> {
  const gate = new Gate(new RateGate(settings.keys.length));
  return Promise.all(
    settings.keys.map(async (key): Promise<Checked> => {
      if (key.problem !== undefined) {
        return { key, verdict: { result: 'error', problems: [key.problem], overPrivileged: false }, attempts: 0 };
      }
      const { meUrl, maxAttempts, match, expectedOrgId } = settings;
      const outcome = await fetchMe({ meUrl, apiKey: key.apiKey, maxAttempts }, deadline, gate);
      return {
        key,
        verdict: judge({ expectedLevel: key.expectedLevel, match, expectedOrgId }, outcome),
        attempts: outcome.attempts
      };
    })
  );
}

/** The verdict of the run: the worst of its keys'. */
export function overallResult(checked: readonly Checked[]): Result {
  return worst(checked.map(({ verdict }) => verdict.result));
}

/** The step passes only if every key does. */
export function allPass(settings: Pick<Settings, 'failOnMismatch'>, checked: readonly Checked[]): boolean {
  return checked.length > 0 && checked.every(({ verdict }) => passes(settings.failOnMismatch, verdict));
}
