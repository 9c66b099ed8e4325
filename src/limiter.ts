// One gate shared by every request of a run. Fullstory rate-limits per second with a burst
// allowance and says so with 429 and Retry-After (in whole seconds), but publishes no numbers. So:
// - a 429 for any key stops every request until its Retry-After has passed, and
// - from then on requests are paced at the rate Fullstory just sustained, growing a little with
//   every request it lets through, until the next 429 (additive-increase, multiplicative-decrease
//   in spirit), so that a batch does not burst into the limit again the moment the pause ends.
// A run that never sees a 429 is never paced.

import { setTimeout as sleep } from 'node:timers/promises';

/** How far back successes count towards the rate Fullstory sustained. */
export const WINDOW_MS = 2000;
/** How much faster each request that got through lets the next ones go. */
export const GROWTH = 1.03;
/** Never slower than this, however few requests got through. */
export const MIN_RATE = 0.5;

export class RateGate {
  private openAt = 0;
  private nextStart = 0;
  /** Requests per second; undefined until the first 429. */
  private rate: number | undefined;
  private passedAt: number[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** How long from now until the next request may go; 0 when it may go at once. */
  waitMs(): number {
    return Math.max(0, Math.max(this.openAt, this.nextStart) - this.now());
  }

  /** The pace in requests per second, or undefined while unpaced. */
  pace(): number | undefined {
    return this.rate;
  }

  /** Resolves when this request may go, and takes its place in the pace. */
  async open(signal: AbortSignal): Promise<void> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
      await sleep(wait, undefined, { signal });
    }
    if (this.rate !== undefined) this.nextStart = Math.max(this.now(), this.nextStart) + 1000 / this.rate;
  }

  /** A request the rate limit let through, whatever its answer. */
  passed(): void {
    const now = this.now();
    this.passedAt = [...this.passedAt.filter((at) => at > now - WINDOW_MS), now];
    if (this.rate !== undefined) this.rate *= GROWTH;
  }

  /** A 429: every request waits `retryAfterMs`, then goes at the rate sustained until now. */
  throttled(retryAfterMs: number): void {
    const now = this.now();
    this.openAt = Math.max(this.openAt, now + retryAfterMs);
    const recent = this.passedAt.filter((at) => at > now - WINDOW_MS);
    // Over the span from the oldest recent success to the end of the pause: the pause is part of
    // what the limit costs, so the pace is what Fullstory allows on average, not at its burst.
    const span = this.openAt - (recent[0] ?? now);
    this.rate = Math.max(MIN_RATE, (recent.length * 1000) / Math.max(span, 1));
  }
}
