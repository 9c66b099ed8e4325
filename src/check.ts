// The core that the action and the CLI share: check every key of the settings, concurrently, through
// one gate (the pace and the concurrency) and one deadline for all, and judge each against its policy.

import type { Deadline } from './deadline.js';
import type { Settings } from './inputs.js';
import type { KeySpec } from './keys.js';
import { fetchMe, requestOnce, type Send } from './fullstory.js';
import { Gate, RateGate, type Pace } from './limiter.js';
import type { Message } from './text.js';
import { judge, passes, worst, type Policy, type Result, type Verdict } from './verdict.js';

export interface Checked {
  key: KeySpec;
  verdict: Verdict;
  /** Requests made for this key: 0 when it could not be sent. */
  attempts: number;
}

/**
 * Ends by `deadline`, on its clock: a key whose turn has not come by then is an `error` of its own.
 * `send` makes one request (the HTTP client; a simulation's server in script/pace-sim.ts), and
 * `pace` is the batch's pace controller (another one, for comparison, in the simulation).
 */
export async function checkKeys(
  settings: Settings,
  deadline: Deadline,
  send: Send = requestOnce,
  pace: Pace = new RateGate(
    settings.keys.length,
    () => deadline.clock.now(),
    () => deadline.remainingMs()
  )
): Promise<Checked[]> {
  const gate = new Gate(pace, deadline.clock);
  return Promise.all(
    settings.keys.map(async (key): Promise<Checked> => {
      if (key.problem !== undefined) return { key, verdict: unchecked(key.problem), attempts: 0 };
      const { meUrl, maxAttempts } = settings;
      const outcome = await fetchMe({ meUrl, apiKey: key.apiKey, maxAttempts }, deadline, gate, send);
      return { key, verdict: judge(policyOf(settings, key), outcome), attempts: outcome.attempts };
    })
  );
}

/** The verdict on a key that was never sent, because of its input: an `error` that says what to fix. */
export function unchecked(problem: Message): Verdict {
  return { result: 'error', problems: [problem], overPrivileged: false, inputProblem: true };
}

/** What one key must be: its level and org, under the run's match mode. */
export function policyOf(settings: Pick<Settings, 'match'>, key: KeySpec): Policy {
  return { expectedLevel: key.expectedLevel, match: settings.match, expectedOrgId: key.expectedOrgId };
}

/** The verdict of the run: the worst of its keys'. */
export function overallResult(checked: readonly Checked[]): Result {
  return worst(checked.map(({ verdict }) => verdict.result));
}

/** The step passes only if every key does. */
export function allPass(settings: Pick<Settings, 'failOnMismatch'>, checked: readonly Checked[]): boolean {
  return checked.length > 0 && checked.every(({ verdict }) => passes(settings.failOnMismatch, verdict));
}
