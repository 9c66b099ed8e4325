// One gate shared by every request of a run. Fullstory rate-limits per second with a burst
// allowance and says so with 429 and Retry-After (in whole seconds), but publishes no numbers, so
// the gate learns the pace from the 429s (additive-increase, multiplicative-decrease, as TCP does):
// - a 429 for any key stops every request until its Retry-After has passed;
// - the first 429 sets the pace to what Fullstory sustained until then, pause included;
// - each request let through speeds the pace up, quickly while it is well under the pace of the
//   last 429, then only slowly, probing for more;
// - each later 429 cuts the pace to BACKOFF times what it was.
// A run that never sees a 429 is never paced. Tuned in a simulation of Fullstory's kind of limit
// (a token bucket) across bursts of 1 to 100 and rates of 1 to 50 per second; docs/BENCHMARKS.md
// has what it achieves against the emulator.

import type { Deadline } from './deadline.js';

/** How far back requests count towards the pace Fullstory sustained before the first 429. */
export const WINDOW_MS = 2000;
export const BACKOFF = 0.8;
/** Growth per request let through: quick while under BACKOFF × the pace of the last 429, then slow. */
export const FAST_GROWTH = 1.03;
export const SLOW_GROWTH = 1.001;
/** Never slower than this, however few requests got through. */
export const MIN_RATE = 0.5;

export class RateGate {
  private openAt = 0;
  private nextStart = 0;
  /** Requests per second; undefined until the first 429. */
  private rate: number | undefined;
  /** The pace at the last 429. */
  private ceiling = Number.POSITIVE_INFINITY;
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

  /** Resolves when this request may go, and takes its place in the pace; rejects when the deadline passes. */
  async open(deadline: Deadline): Promise<void> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
      await deadline.sleep(wait);
    }
    if (this.rate !== undefined) this.nextStart = Math.max(this.now(), this.nextStart) + 1000 / this.rate;
  }

  /** A request the rate limit let through, whatever its answer. */
  passed(): void {
    const now = this.now();
    this.passedAt = [...this.passedAt.filter((at) => at > now - WINDOW_MS), now];
    if (this.rate !== undefined) this.rate *= this.rate < BACKOFF * this.ceiling ? FAST_GROWTH : SLOW_GROWTH;
  }

  /** A 429: every request waits `retryAfterMs`; the pace is set or cut once per pause. */
  throttled(retryAfterMs: number): void {
    const now = this.now();
    const pausing = now < this.openAt;
    this.openAt = Math.max(this.openAt, now + retryAfterMs);
    // Requests already in flight when the pause began come back 429 too: one signal, not many.
    if (pausing) return;
    if (this.rate === undefined) {
      const recent = this.passedAt.filter((at) => at > now - WINDOW_MS);
      // Over the span from the oldest recent request to the end of the pause: the pause is part of
      // what the limit costs, so this is what Fullstory allows on average, not at its burst.
      this.rate = Math.max(MIN_RATE, (recent.length * 1000) / Math.max(this.openAt - (recent[0] ?? now), 1));
    } else {
      this.ceiling = this.rate;
      this.rate = Math.max(MIN_RATE, this.rate * BACKOFF);
    }
  }
}
