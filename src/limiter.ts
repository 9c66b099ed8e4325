// The pace of a batch, shared by every request of a run. Fullstory rate-limits per second with a
// burst allowance and answers 429 with Retry-After, but publishes no numbers: the pace is learned
// from the answers, the way TCP and the AWS SDKs' adaptive retries learn theirs. Requests are
// counted by when they were sent, which is about when the limit counted them (the opening's, by when
// they may have arrived: below).
// - Before the first 429, requests go in rounds: START_WINDOW at once, and twice as many once a
//   round has passed whole, up to CONCURRENCY (TCP's slow start, without starting a round on the
//   answers of one that may still bring 429s).
// - An episode starts with a 429 for a request sent after the last episode began (the 429s of
//   requests already in flight are the same signal). Until a request passes again, only one is in
//   flight, and each further 429 halves the pace.
// - An answer that is late (a stalled connection: a limit answers 429 fast) holds the others back
//   for a second, or two round trips, at most: its round then counts as passed, or, while throttled,
//   one more request goes.
// - Whatever the pace, no more are sent in any one second than it allows: after a burst, a window
//   that is still full is left alone until the burst has aged out of it, instead of being probed.
//   A limit counts a request when it arrives, and the opening's went first, on cold connections (a
//   DNS lookup, the process's first TLS handshake): each counts from as much later than it was sent
//   as its round trip exceeds the least of a pass since, and OPENING_SLACK_MS more (where the only
//   pass is the opening's own, nothing measures a cold start: the slack alone). Counted from when
//   they were sent, a request a second after one of them arrived within the same second, end to
//   end, and its 429 held a run at 2 a second where 5 were allowed. The one request after a cut
//   under PROBE_FLOOR (below) still counts from when they were sent: this cap waits as long there,
//   and counted later, no grid cell changed (6 of 3,000 random ones by 5 ms, in review).
// - At the first episode nothing says what the limit is (a burst got through, or almost nothing):
//   the pace starts at what passed in the last second (at least PROBE_FLOOR) and doubles every
//   round trip, or every PROBE_STEP_MS where round trips are shorter (and up to twice what
//   CONCURRENCY in flight carry), until the next 429: the limit is then between that pace and half
//   of it, and what was not refused in the second before says where. Only a request sent when the
//   pace let it counts toward growing it: one sent later (the batch idle, or CONCURRENCY in flight)
//   may have found room the limit had saved up, which says nothing of the pace (TCP meets this with
//   traffic limited by its sender, not by its window: RFC 7661). One that waited on the pace counts
//   though its timer fired late, as on a loaded runner. Nor does it grow where the keys left are done
//   at its pace before a key refused is back from its Retry-After: the batch cannot end sooner (and
//   if that pace fails, the cut goes no lower than what has them done by then).
//   Where the probe's first pace is refused before anything passed, that pace was only a guess: the
//   cut lands on what got through in the second before, if anything did, where the keys left take
//   at most half the time left at it (else it halves, as at any 429 while throttled).
// - Every later episode cuts the pace to BETA times the pace that failed, and the pace climbs back
//   to it over CYCLE requests that pass, along a cubic (as CUBIC does): fast at first, slowly near
//   it, then beyond it, but only while enough keys are left to pay for the 429 that finds the limit
//   again, and never near the end, where a 429 delays the last key by a whole Retry-After.
// - While throttled under PROBE_FLOOR, the one request in flight goes no sooner than a second after
//   the last that got through: a window that refused the last one has turned by then.
// - A limit counted per second refuses a request only once it has counted what it allows in the
//   second before: at a few a second, where a cut by BETA sends as many whole requests as the pace
//   that failed, a failed probe's ceiling and the first steady pace's go no higher than one over
//   what got through in that second (and half a round trip before it, for a limit that counts a
//   request when it arrives).
// - A run whose first requests were all refused joined a limit that another client was spending (a
//   limit nobody spends lets one through): what it learns is that client's leftover, which frees
//   when that client is done. Its cubic runs on time as well, JOINED_CLIMB_MS back to the ceiling,
//   where passes at a leftover pace would take longer than the run has.
// - Where the keys left would outlast the run at the pace a failed probe's cut settles on, the pace
//   holds at the ceiling the failure set instead, in whole requests a second, until the next 429: on
//   a limit of 2 or 3 a second the cut sends one a second, and the climb back in passes is too slow.
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

/** Requests in the first round, before the first 429; each round that passes whole doubles it, up to CONCURRENCY. */
export const START_WINDOW = 2;
/** The pace after an episode, as a share of the pace that failed. */
export const BETA = 0.8;
/** Requests that pass from one episode back to the pace of that episode. */
export const CYCLE = 64;
/** Where probing starts at the least, in requests per second. */
export const PROBE_FLOOR = 4;
/** Probing doubles the pace at most once in this many milliseconds (once a round trip, where that is longer). */
export const PROBE_STEP_MS = 200;
/** Never slower than this, in requests per second. */
export const MIN_RATE = 0.5;
/** A request this late after the pace let it go (or half an interval, where longer) was held by more than a late timer. */
export const PACED_SLACK_MS = 25;
/** A request that waited on the pace itself went when the pace let it, though its timer fired up to this late (a loaded runner). */
export const LATE_TIMER_MS = 250;
/** A run that joined a limit another client spends climbs back to its ceiling in this long at most. */
export const JOINED_CLIMB_MS = 4000;
/** How much later than its round trip says a request of the opening may have arrived: the least pass's own trip varies too. */
export const OPENING_SLACK_MS = 10;

/** A round trip smoothed as TCP smooths its own (RFC 6298: an eighth of each new sample); 0 before the first. */
const smoothed = (average: number, sample: number) => (average === 0 ? sample : 0.875 * average + 0.125 * sample);

export class RateGate implements Pace {
  /** Requests per second; undefined before the first 429. */
  private rate: number | undefined;
  private window = START_WINDOW;
  private sentInRound = 0;
  private lastStart = 0;
  /** Send times of the requests in flight, and of those that passed lately. */
  private inFlight: number[] = [];
  private passes: number[] = [];
  /** Send times of the requests in flight that went when the pace let them. */
  private paced = new Set<number>();
  /** The next request waits on the pace itself, not on a window still full from a burst. */
  private heldByPace = false;
  private nextStart = 0;
  /** The pace of the last episode, and how many passed since. */
  private ceiling = 0;
  private sinceCut = 0;
  private cutAt = Number.NEGATIVE_INFINITY;
  /** Between a 429 and the next request that passes. */
  private recovering = false;
  private probing = false;
  /** A smoothed round trip, in milliseconds, of every answer and of passes alone (a 429 may be faster). */
  private rtt = 0;
  private passRtt = 0;
  private done = 0;
  private lastRetryAfterS = 1;
  /** When the first answer came: the requests sent before it are the run's opening. */
  private firstAnswerAt = Number.POSITIVE_INFINITY;
  private openingPassed = false;
  private openingRefused = false;
  /** After a failed probe, the keys left would outlast the run at the pace a cut settles on. */
  private behind = false;
  /** When the last key refused is back from its Retry-After (one the deadline leaves time for). */
  private dueBack = Number.NEGATIVE_INFINITY;
  /** The probe stopped growing, since the keys left are done at its pace before then. */
  private pinned = false;
  /** While throttled at a pace under PROBE_FLOOR: the one request goes no sooner (see throttled). */
  private recoverAfter = Number.NEGATIVE_INFINITY;
  /** A 429 has come at a steady pace (neither probing nor throttled). */
  private metAtPace = false;
  /** The round trips of the opening's requests that passed, by when each was sent; the least of any pass. */
  private openingRtts = new Map<number, number>();
  private leastPassRtt = Number.POSITIVE_INFINITY;

  constructor(
    /** Keys in the batch: growth past the limit pays only while enough of them are left. */
    private readonly keys: number,
    private readonly now: () => number = () => performance.now(),
    /** What is left of the run's deadline, in milliseconds, on the same clock. */
    private readonly remainingMs: () => number = () => Number.POSITIVE_INFINITY
  ) {}

  /** The pace in requests per second, or undefined while unpaced. */
  pace(): number | undefined {
    return this.rate;
  }

  waitMs(): number {
    const now = this.now();
    // An answer that is late (a stalled connection) holds the others back a while, not to the deadline.
    const held = Math.max(0, this.lastStart + Math.max(1000, 2 * this.rtt) - now);
    if (this.rate === undefined) {
      if (this.window < CONCURRENCY) return this.sentInRound < this.window ? 0 : held;
      return this.inFlight.length < CONCURRENCY ? 0 : Number.POSITIVE_INFINITY;
    }
    if (this.recovering && this.inFlight.length > 0 && held > 0) return held;
    // No more in any one second than the pace: a window still full from a burst is left alone until
    // the burst has aged out of it (a request 1 ms later than a second after, for clocks that round).
    const cap = Math.max(1, Math.floor(this.rate));
    const recent = [...this.passes, ...this.inFlight]
      .map((sent) => this.countedFrom(sent))
      .filter((at) => at > now - 1000)
      .sort((a, b) => a - b);
    const full = recent.length >= cap ? recent[recent.length - cap]! + 1001 - now : 0;
    const recovery = this.recovering ? this.recoverAfter - now : 0;
    const wait = Math.max(0, this.nextStart - now, full, recovery);
    // Waiting on the pace itself: however late the timer fires, the request goes when the pace let it.
    if (wait > 0 && this.nextStart - now >= Math.max(full, recovery)) this.heldByPace = true;
    return wait;
  }

  started(): number {
    const now = this.now();
    const late = now - this.nextStart;
    if (
      this.rate !== undefined &&
      (late <= Math.max(PACED_SLACK_MS, 500 / this.rate) || (this.heldByPace && late <= LATE_TIMER_MS))
    )
      this.paced.add(now);
    this.heldByPace = false;
    this.inFlight.push(now);
    this.lastStart = now;
    // A round held past its time by a late answer (no 429: a limit answers those fast) counts as passed.
    if (this.rate === undefined && this.sentInRound >= this.window) this.nextRound();
    this.sentInRound += 1;
    if (this.rate !== undefined) this.nextStart = Math.max(now, this.nextStart) + 1000 / this.rate;
    return now;
  }

  passed(sent: number): void {
    const paced = this.paced.delete(sent);
    if (sent < this.firstAnswerAt) this.openingPassed = true;
    const now = this.answered(sent);
    const rtt = now - sent;
    this.passRtt = smoothed(this.passRtt, rtt);
    this.leastPassRtt = Math.min(this.leastPassRtt, rtt);
    if (sent < this.firstAnswerAt) this.openingRtts.set(sent, rtt);
    this.passes.push(sent);
    // Kept 10 s: mostCounted looks back a second and half a round trip from a request sent a round trip ago.
    if (this.passes.length > 4 * CONCURRENCY) this.passes = this.passes.filter((at) => at > now - 10_000);
    this.done += 1;
    if (this.rate === undefined) {
      if (this.window < CONCURRENCY && this.inFlight.length === 0) this.nextRound();
      return;
    }
    if (this.recovering) {
      this.recovering = false;
      return;
    }
    if (this.probing) {
      // Sent later than the pace let it (or before the first 429, when there was no pace): the limit
      // may have saved up room for it.
      if (!paced) return;
      // A key refused waits out its Retry-After, and the batch ends no sooner than it is back: where
      // the keys left are done by then at this pace, a faster one cannot end the batch sooner, only
      // meet the limit, and the 429 that finds it makes its own key wait as long.
      this.pinned = now + (1000 * this.keysLeft()) / this.rate < this.dueBack;
      if (this.pinned) return;
      const before = this.rate;
      this.rate *= 2 ** (1 / Math.max(1, (this.rate * Math.max(this.rtt, PROBE_STEP_MS)) / 1000));
      // Growing no further than twice what CONCURRENCY in flight carry at the round trip of a pass:
      // the flow never reaches such a pace, and the bracket its failure sets would be as far over
      // the limit. Never lower, though: one slow answer (a stalled connection) says nothing of the limit.
      const carried = (2 * CONCURRENCY * 1000) / this.passRtt;
      this.rate = Math.min(this.rate, Math.max(before, PROBE_FLOOR, carried));
      return;
    }
    this.sinceCut += 1;
    // Only once the whole opening is answered: one still in flight (a stalled connection) may pass.
    const joined = this.joinedSpentLimit() && !this.inFlight.some((at) => at < this.firstAnswerAt);
    const x = Math.max(
      (this.sinceCut - CYCLE) / CYCLE,
      joined ? (now - this.cutAt - JOINED_CLIMB_MS) / JOINED_CLIMB_MS : -1
    );
    const left = this.keysLeft() / this.ceiling;
    // Past the ceiling only while the keys left would take more than a couple of seconds at it;
    // and near the end, below it, since a 429 there delays the last key by a whole Retry-After.
    const endGame = left < this.lastRetryAfterS * 2;
    const worthProbing = left > 2;
    this.rate = Math.max(
      MIN_RATE,
      endGame ? BETA * this.ceiling : this.ceiling * (1 + (1 - BETA) * (x > 0 && !worthProbing ? 0 : x ** 3)),
      this.behind ? Math.floor(this.ceiling) : 0
    );
  }

  throttled(retryAfterMs: number, sent: number): void {
    this.paced.delete(sent);
    if (sent < this.firstAnswerAt) this.openingRefused = true;
    const now = this.answered(sent);
    this.lastRetryAfterS = retryAfterMs / 1000;
    // fetchMe sends the key again once its Retry-After is over, where the deadline leaves time for it.
    if (retryAfterMs < this.remainingMs()) this.dueBack = Math.max(this.dueBack, now + retryAfterMs);
    if (sent <= this.cutAt) return; // in flight when the episode began: the same signal
    this.cutAt = now;
    if (this.rate === undefined) {
      // The first 429: what got through says little (a burst, or almost nothing). Probe up from
      // what got through in the second before this request to the next 429.
      const measured = this.passes.filter((at) => at > sent - 1000).length;
      this.ceiling = Math.max(PROBE_FLOOR, measured);
      this.rate = this.ceiling;
      this.probing = true;
    } else if (this.recovering) {
      // Still throttled at the slower pace: the limit has not come back yet, and is under the pace
      // that failed, the one to climb back to (no more probing: it was too fast already). A held pace
      // (below) refused at once was the hold's one 429: from here on, as if the cut had stood.
      this.ceiling = this.behind ? Math.min(this.rate, BETA * this.ceiling) : this.rate;
      this.behind = false;
      this.rate = Math.max(MIN_RATE, this.ceiling / 2);
      // Refused at the pace the first 429 started probing from, before anything passed since: that
      // pace was a guess (PROBE_FLOOR, or a burst that got through), and the limit need not be near
      // it. What got through in the second before says where it is, from below: the cut lands there.
      // Only where the keys left take at most half the time left at it, in whole requests a second:
      // what got through may be low (a run that joined another's limit sees its leftover; a window
      // still counts requests from before that second), timers may fire late, refused keys wait out
      // their Retry-After, and the climb back takes passes. Where nothing got through it says
      // nothing, not a pace of MIN_RATE: the pace halves, as at any 429 while throttled.
      const gotThrough = this.probing ? this.notRefusedBefore(sent) : 0;
      if (gotThrough > 0) {
        const guessed = Math.max(MIN_RATE, Math.min(this.ceiling, gotThrough / BETA));
        if (!this.outlastsRun(guessed, 0.5)) {
          this.ceiling = guessed;
          this.rate = Math.max(MIN_RATE, Math.min(this.rate, BETA * guessed));
        }
      }
      this.probing = false;
    } else if (this.probing) {
      // Half this pace got through a round trip ago: the limit is between the two, and what was not
      // refused in the second before says where: what passed, and what is still unanswered (a pass
      // may take longer than a 429). (Where answers take over a second, none of that second's are
      // in: then it says nothing.)
      const known = this.rtt < 1000 ? this.notRefusedBefore(sent) : this.rate;
      const bracket = Math.min(0.75 * this.rate, Math.max(known, 0.5 * this.rate));
      // Only a probe that grew: one refused at its first pace sent nothing at a pace of its own yet,
      // and what got through may be the opening's (a window that counts refused requests is still full).
      const grew = this.rate > this.ceiling;
      this.ceiling = Math.max(
        MIN_RATE,
        Math.min(bracket, grew ? this.mostCounted(sent, 2 * PROBE_FLOOR) : Number.POSITIVE_INFINITY)
      );
      // A probe that stopped growing (passed, above) failed at the pace it held for the keys left, not
      // at one it had just doubled to: the cut goes no lower than what still has them done by the time
      // the keys refused are back, within the bracket.
      if (this.pinned && this.dueBack > now) {
        const finishing = (1000 * this.keysLeft()) / (this.dueBack - now);
        this.ceiling = Math.max(this.ceiling, Math.min(0.75 * this.rate, finishing / BETA));
      }
      this.rate = Math.max(MIN_RATE, BETA * this.ceiling);
      this.probing = false;
      // The pace sends whole requests a second, so a cut by BETA sends fewer than BETA of them, and at
      // a few a second far fewer (1.6 a second is one); the climb back, counted in passes, is slowest
      // there. Where the keys left would then outlast the run, a 429 more costs less than the keys the
      // deadline would leave: the pace holds at the ceiling the failure set (what got through in the
      // second before it, which may be over the limit), in whole requests a second, past the end
      // game too, until a 429 says it is too fast.
      this.behind = this.outlastsRun(this.ceiling);
      if (this.behind) this.rate = Math.max(this.rate, Math.floor(this.ceiling));
    } else {
      this.behind = false;
      // Bounded by what got through at the first such 429 only, where the pace meets the limit it
      // learned. A later one comes from a climb past the ceiling, or from another client that came to
      // spend the limit: there what got through is this run's share, which every client cutting by
      // BETA keeps even (AIMD's fairness), and a bound from it would leave this run the smaller one.
      const most = this.metAtPace ? Number.POSITIVE_INFINITY : this.mostCounted(sent, PROBE_FLOOR);
      this.metAtPace = true;
      this.ceiling = Math.max(MIN_RATE, Math.min(this.rate, most));
      this.rate = Math.max(MIN_RATE, BETA * this.ceiling);
    }
    this.sinceCut = 0;
    this.recovering = true;
    this.nextStart = now + 1000 / this.rate;
    // Under PROBE_FLOOR, the one request that tries the cut pace waits until a second after the last
    // request that got through (or may yet: one still in flight): any limit counted per second (a
    // window, a bucket that refills one a second or more) has room for it then, unless another client
    // took it. Sooner, it may meet the window that refused this one, and a second 429 halves the pace
    // (above) for the window's sake alone. A request goes every 250 ms or more there: over a review's
    // cells the wait was 230 ms longer than the pace's on average, 560 ms at most.
    const lastThrough = Math.max(...this.notRefused(sent));
    this.recoverAfter = this.rate < PROBE_FLOOR ? lastThrough + 1001 : Number.NEGATIVE_INFINITY;
  }

  /**
   * When the limit may have counted the request sent at `sent`, which is when it arrived. One of the
   * opening went on a cold connection, and may have arrived as much later than it was sent as its
   * round trip exceeds the least of a pass. Not of a 429, which a limit may send at once: a pass's
   * server time is no part of the trip, and counted that much later, the first of two runs on a
   * bucket of burst 1 went into the second's turn (__tests__/pace.test.ts, a review's cell).
   */
  private countedFrom(sent: number): number {
    const rtt = this.openingRtts.get(sent);
    return rtt === undefined ? sent : sent + OPENING_SLACK_MS + Math.max(0, rtt - this.leastPassRtt);
  }

  /** Keys not answered yet, counted by answers that passed (a key retried after a 5xx counts twice). */
  private keysLeft(): number {
    return this.keys - this.done;
  }

  /** Send times of the requests sent before `sent` that were not refused: those that passed (lately), and those unanswered. */
  private notRefused(sent: number): number[] {
    return [...this.passes, ...this.inFlight].filter((at) => at < sent);
  }

  /** Requests sent in the `backMs` (a second) before `sent` that were not refused. */
  private notRefusedBefore(sent: number, backMs = 1000): number {
    return this.notRefused(sent).filter((at) => at > sent - backMs).length;
  }

  /** Every answer to the opening so far was a 429: the run joined a limit another client spends (a limit nobody spends lets one through). */
  private joinedSpentLimit(): boolean {
    return this.openingRefused && !this.openingPassed;
  }

  /**
   * The most a limit counted per second allows, from the request it refused at `sent`, where the pace
   * that met it was at most `slowPace`: a window refuses once it has counted all it allows in the
   * second before, and a bucket that refills r a second and did not fill in that second had given
   * out over r - 1 by then: either way no more than one over what was not refused in that second.
   * At a few a second a cut by BETA sends as many whole requests as the pace that failed (2.6 and 2.1
   * a second both send 2), and the same window refuses the next. Faster, the cut is more than a whole
   * request, and the pace may have climbed from under a bucket that then filled: no bound. Nor
   * where nothing got through, or the run joined a limit another client spends (its first requests
   * were all refused): what gets through is that client's leftover, not the limit. Even slow, a
   * bucket of a small burst sits full whenever the pace sends slower than it refills, and can refuse
   * a request that came too soon after one other: the bound is then under its rate. And where it is
   * a bucket's rate exactly, the cut by BETA sends one a second less, for the CYCLE passes of the
   * climb back (reviews measured what both cost: pace-experiments.md).
   */
  private mostCounted(sent: number, slowPace: number): number {
    // A limit counts a request when it arrives: one sent up to a one-way trip more than a second
    // before may have arrived within the second that it counted (the pace spaces whole requests a
    // second 1001 ms apart, so with any jitter in the way, it often does).
    const counted = this.notRefusedBefore(sent, 1000 + this.rtt / 2);
    return this.rate! <= slowPace && counted > 0 && !this.joinedSpentLimit() ? counted + 1 : Number.POSITIVE_INFINITY;
  }

  /** The keys left would outlast `share` of the time left at the pace a cut from `ceiling` settles on, in whole requests a second. */
  private outlastsRun(ceiling: number, share = 1): boolean {
    return this.keysLeft() / Math.max(1, Math.floor(BETA * ceiling)) > (share * this.remainingMs()) / 1000;
  }

  /** The round before the first 429 has passed: the next is twice as large, up to CONCURRENCY. */
  private nextRound(): void {
    this.window = Math.min(CONCURRENCY, 2 * this.window);
    this.sentInRound = 0;
  }

  /** An answer to the request sent at `sent`: one less in flight, one more round trip measured. */
  private answered(sent: number): number {
    const now = this.now();
    this.firstAnswerAt = Math.min(this.firstAnswerAt, now);
    const at = this.inFlight.indexOf(sent);
    if (at >= 0) this.inFlight.splice(at, 1);
    this.rtt = smoothed(this.rtt, now - sent);
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
