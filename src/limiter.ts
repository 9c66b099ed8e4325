// The pace of a batch, shared by every request of a run. Fullstory rate-limits per second with a
// burst allowance and answers 429 with Retry-After, but publishes no numbers: the pace is learned
// from the answers, the way TCP and the AWS SDKs' adaptive retries learn theirs.
// - Before the first 429, requests are unpaced but few at once: START_WINDOW, then one more per
//   answer (twice as many per round trip: TCP's slow start), up to CONCURRENCY.
// - An episode starts with a 429 for a request sent after the last one began (the 429s of requests
//   already in flight are the same signal). Until a request passes again, only one is in flight,
//   and each further 429 halves the pace: a limit that has run out costs one or two 429s, not one
//   per request in flight.
// - At the first episode nothing says what the limit is (a burst got through, or almost nothing):
//   the pace starts at what passed in the last second (at least PROBE_FLOOR) and doubles once a
//   second, the limit's own time scale (a faster probe only spends the burst), until the next 429
//   brackets the limit between that pace and half of it.
// - Every later episode cuts the pace to BETA times the pace that failed, and the pace climbs back
//   to it over CYCLE requests that pass, along a cubic (as CUBIC does): fast at first, slowly near
//   it, then beyond it, but only while enough keys are left to pay for the 429 that finds the limit
//   again, and never near the end, where a 429 delays the last key by a whole Retry-After.
// - If the limit came back only after the pace was halved, the old pace is tried once more: a full
//   one-second window comes back whole, a slow bucket does not (then the halved pace is the limit).
// The key that got a 429 waits its Retry-After itself (fullstory.ts); the others go on at the pace.
// script/pace-sim.ts runs this over a grid of limits; docs/BENCHMARKS.md has what it achieves.

import { realClock, type Clock } from './clock.js';
import type { Deadline } from './deadline.js';

/** Requests in flight at once, for the whole run: the pace, not this, keeps a batch under the limit. */
export const CONCURRENCY = 8;

/** What a batch asks of its pace controller, on the controller's own clock. */
export interface Pace {
  /** How long from now until the next request may go; 0: at once; Infinity: after the next answer. */
  waitMs(): number;
  /** A request goes now; what it returns identifies the request to passed and throttled. */
  started(): number;
  /** The request that `started` returned `sent` for got an answer other than 429. */
  passed(sent: number): void;
  /** The request got a 429 asking to wait `retryAfterMs` before retrying. */
  throttled(retryAfterMs: number, sent: number): void;
}

/** Requests at once before the first 429. */
export const START_WINDOW = 2;
/** The pace after an episode, as a share of the pace that failed. */
export const BETA = 0.8;
/** Requests that pass from one episode back to the pace of that episode. */
export const CYCLE = 64;
/** Where probing starts at the least, in requests per second. */
export const PROBE_FLOOR = 4;
/** Never slower than this, in requests per second. */
export const MIN_RATE = 0.5;

export class RateGate implements Pace {
  /** Requests per second; undefined before the first 429. */
  private rate: number | undefined;
  private window = START_WINDOW;
  private inFlight = 0;
  private nextStart = 0;
  /** The pace of the last episode, and how many passed since. */
  private ceiling = 0;
  private sinceCut = 0;
  private cutAt = Number.NEGATIVE_INFINITY;
  /** Between a 429 and the next request that passes, and how often the pace was halved meanwhile. */
  private recovering = false;
  private halvings = 0;
  /** After a recovery that needed halvings: the pace that got through, should the old one fail at once. */
  private fallback: number | undefined;
  private probing = false;
  /** A smoothed round trip, in milliseconds. */
  private rtt = 0;
  private passedAt: number[] = [];
  private done = 0;
  private lastRetryAfterS = 1;

  constructor(
    /** Keys in the batch: growth past the limit pays only while enough of them are left. */
    private readonly keys: number,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** The pace in requests per second, or undefined while unpaced. */
  pace(): number | undefined {
    return this.rate;
  }

  waitMs(): number {
    if (this.rate === undefined) return this.inFlight < this.window ? 0 : Number.POSITIVE_INFINITY;
    if (this.recovering && this.inFlight > 0) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.nextStart - this.now());
  }

  started(): number {
    const now = this.now();
    this.inFlight += 1;
    if (this.rate !== undefined) this.nextStart = Math.max(now, this.nextStart) + 1000 / this.rate;
    return now;
  }

  passed(sent: number): void {
    const now = this.answered(sent);
    this.passedAt.push(now);
    this.done += 1;
    if (this.rate === undefined) {
      this.window += 1;
      return;
    }
    if (this.recovering) {
      this.recovering = false;
      // The limit came back only after waits that grew: a window that filled up (then the old pace
      // holds again) or a bucket that refills slowly (then only the slower pace does). Try the old.
      if (this.halvings > 0) {
        this.fallback = this.rate;
        this.rate = Math.max(MIN_RATE, this.probing ? this.ceiling : BETA * this.ceiling);
      }
      return;
    }
    if (this.sinceCut >= 2) this.fallback = undefined;
    if (this.probing) {
      // Twice as fast each second (each round trip, where that is longer): as many passes, at this pace.
      this.rate *= 2 ** (1 / Math.max(1, (this.rate * Math.max(this.rtt, 1000)) / 1000));
      return;
    }
    this.sinceCut += 1;
    const x = (this.sinceCut - CYCLE) / CYCLE;
    const left = (this.keys - this.done) / this.ceiling;
    // Past the ceiling only while the keys left would take more than a couple of seconds at it;
    // and near the end, below it, since a 429 there delays the last key by a whole Retry-After.
    const endGame = left < this.lastRetryAfterS * 2;
    const worthProbing = left > 2;
    this.rate = Math.max(
      MIN_RATE,
      endGame ? BETA * this.ceiling : this.ceiling * (1 + (1 - BETA) * (x > 0 && !worthProbing ? 0 : x ** 3))
    );
  }

  throttled(retryAfterMs: number, sent: number): void {
    const now = this.answered(sent);
    this.lastRetryAfterS = retryAfterMs / 1000;
    if (sent <= this.cutAt) return; // in flight when the episode began: the same signal
    this.cutAt = now;
    if (this.recovering && this.rate !== undefined) {
      // Still throttled at the slower pace: the limit has not come back yet.
      this.rate = Math.max(MIN_RATE, this.rate / 2);
      this.halvings += 1;
      this.nextStart = now + 1000 / this.rate;
      return;
    }
    if (this.rate === undefined) {
      // The first 429: what got through says little (a burst, or almost nothing). Probe up from
      // what got through in the last second to the next 429.
      const passes = this.passedAt.filter((at) => at > now - 1000).length;
      this.ceiling = Math.max(PROBE_FLOOR, passes);
      this.rate = this.ceiling;
      this.probing = true;
    } else if (this.probing) {
      // Half this pace got through a round trip ago: the limit is between the two.
      this.ceiling = Math.max(MIN_RATE, 0.75 * this.rate);
      this.rate = Math.max(MIN_RATE, BETA * this.ceiling);
      this.probing = false;
    } else if (this.fallback !== undefined) {
      // The old pace failed at once after a recovery: the slower one that got through is the limit.
      this.ceiling = this.fallback / BETA;
      this.rate = this.fallback;
      this.fallback = undefined;
      this.probing = false;
    } else {
      this.ceiling = Math.max(MIN_RATE, this.rate);
      this.rate = Math.max(MIN_RATE, BETA * this.ceiling);
      this.probing = false;
    }
    this.sinceCut = 0;
    this.halvings = 0;
    this.recovering = true;
    this.nextStart = now + 1000 / this.rate;
  }

  /** An answer to the request sent at `sent`: one less in flight, one more round trip measured. */
  private answered(sent: number): number {
    const now = this.now();
    this.inFlight -= 1;
    this.rtt = this.rtt === 0 ? now - sent : 0.875 * this.rtt + 0.125 * (now - sent);
    return now;
  }
}

/**
 * Admits the run's requests one at a time, in order (a key back from its Retry-After first), when
 * the pace allows and fewer than CONCURRENCY are in flight. script/pace-sim.ts runs it on a virtual
 * clock.
 */
export class Gate {
  private readonly waiting: ((sent: number) => void)[] = [];
  private inFlight = 0;
  private cancelTimer = () => undefined as void;

  constructor(
    readonly pace: Pace,
    private readonly clock: Clock = realClock
  ) {}

  /** Resolves, with what identifies the request to `leave`, when it may go; rejects when the deadline passes. */
  async enter(deadline: Deadline, { retry = false } = {}): Promise<number> {
    let admit!: (sent: number) => void;
    const turn = new Promise<number>((resolve) => (admit = resolve));
    if (retry) this.waiting.unshift(admit);
    else this.waiting.push(admit);
    this.pump();
    try {
      return await deadline.race(turn);
    } finally {
      const at = this.waiting.indexOf(admit);
      if (at >= 0) this.waiting.splice(at, 1); // gave up waiting: the deadline passed
    }
  }

  /** The request is answered: a 429 (with its Retry-After), or anything else. */
  leave(sent: number, throttledMs?: number): void {
    this.inFlight -= 1;
    if (throttledMs === undefined) this.pace.passed(sent);
    else this.pace.throttled(throttledMs, sent);
    this.pump();
  }

  private pump(): void {
    this.cancelTimer();
    while (this.waiting.length > 0 && this.inFlight < CONCURRENCY) {
      const wait = this.pace.waitMs();
      if (wait === Number.POSITIVE_INFINITY) return; // the next answer pumps again
      if (wait > 0) {
        this.cancelTimer = this.clock.schedule(() => this.pump(), wait);
        return;
      }
      this.inFlight += 1;
      this.waiting.shift()!(this.pace.started());
    }
  }
}
