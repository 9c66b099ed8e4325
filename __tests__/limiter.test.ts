import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../src/deadline.js';
import {
  BETA,
  CONCURRENCY,
  CYCLE,
  JOINED_CLIMB_MS,
  Gate,
  MIN_RATE,
  OPENING_SLACK_MS,
  PACED_SLACK_MS,
  PROBE_FLOOR,
  PROBE_STEP_MS,
  RateGate,
  START_WINDOW,
  type Pace
} from '../src/limiter.js';

/** A gate on a clock the test moves, for a run of `runMs` from 0. */
function clocked(keys = 1000, runMs = Number.POSITIVE_INFINITY) {
  let now = 0;
  const gate = new RateGate(
    keys,
    () => now,
    () => runMs - now
  );
  const tick = (ms: number) => (now += ms);
  /** Sends a request now, answers it `ms` later: passed, or throttled with a Retry-After of 1 s. */
  const request = (ms: number, throttled = false) => {
    const sent = gate.started();
    tick(ms);
    if (throttled) gate.throttled(1000, sent);
    else gate.passed(sent);
  };
  return { gate, tick, request, at: () => now };
}

/** `count` requests, each sent as soon as the pace lets it and passing `ms` after it went. */
function flow({ gate, tick, at }: ReturnType<typeof clocked>, ms: number, count: number) {
  const answers: number[] = [];
  let sent = 0;
  while (sent < count || answers.length > 0) {
    const sendAt = sent < count ? at() + gate.waitMs() : Number.POSITIVE_INFINITY;
    const answerAt = answers.length > 0 ? answers[0]! + ms : Number.POSITIVE_INFINITY;
    tick(Math.min(sendAt, answerAt) - at());
    if (sendAt <= answerAt) {
      answers.push(gate.started());
      sent += 1;
    } else gate.passed(answers.shift()!);
  }
}

/** A gate past its first 429 and its probing, recovered: at a steady pace. */
function steady(keys?: number) {
  const clock = clocked(keys);
  clock.request(0, true);
  clock.tick(1000);
  clock.request(20);
  clock.request(20, true); // ends probing
  clock.tick(1000);
  clock.request(20);
  return clock;
}

/** As steady(), with `passes` in the second before the first 429: the probe from that pace fails at once (the bracket half of it), and the pace, recovered, is BETA of that. */
function steadyFrom(passes: number) {
  const clock = clocked();
  for (let i = 0; i < passes; i += 1) clock.request(50);
  clock.request(0, true);
  clock.tick(1000);
  clock.request(20);
  clock.request(20, true);
  clock.tick(1000);
  clock.request(20);
  return clock;
}

describe('RateGate', () => {
  it('starts unpaced in rounds: START_WINDOW at once, twice as many once a round has passed whole', () => {
    const { gate, tick } = clocked();
    const round = (size: number) =>
      Array.from({ length: size }, () => {
        expect(gate.waitMs()).toBe(0);
        return gate.started();
      });
    const first = round(START_WINDOW);
    expect(gate.waitMs()).toBe(1000);
    tick(20);
    gate.passed(first[0]!);
    // Half the round is in: the rest may still bring a 429, so nothing more goes yet (for a second).
    expect(gate.waitMs()).toBe(1000 - 20);
    gate.passed(first[1]!);
    const second = round(2 * START_WINDOW);
    expect(gate.waitMs()).toBe(1000);
    tick(20);
    for (const sent of second) gate.passed(sent);
    // Then up to CONCURRENCY in flight, a new one as each is answered.
    const flowing = round(CONCURRENCY);
    expect(gate.waitMs()).toBe(Number.POSITIVE_INFINITY);
    gate.passed(flowing[0]!);
    expect(gate.waitMs()).toBe(0);
    expect(gate.pace()).toBeUndefined();
  });

  it('lets a late answer (a stalled connection) hold the others a second or two round trips, not to the deadline', () => {
    const { gate, tick } = clocked();
    const first = [gate.started(), gate.started()];
    tick(100);
    gate.passed(first[0]!); // the other never answers
    expect(gate.waitMs()).toBe(1000 - 100);
    tick(900);
    // The round counts as passed: the next one is twice as large.
    const second = Array.from({ length: 2 * START_WINDOW }, () => {
      expect(gate.waitMs()).toBe(0);
      return gate.started();
    });
    expect(second).toHaveLength(4);
    expect(gate.waitMs()).toBeGreaterThan(0);

    // The same while throttled: one probe in flight that never answers holds the batch a while.
    const paced = clocked();
    paced.request(600, true);
    paced.tick(1000);
    paced.gate.started(); // stalls
    expect(paced.gate.waitMs()).toBe(2 * 600);
    paced.tick(2 * 600);
    expect(paced.gate.waitMs()).toBe(0);
  });

  it('at the first 429, paces from what was sent and passed in the last second, one at a time until one passes', () => {
    const { gate, tick, request } = clocked();
    for (let i = 0; i < 12; i += 1) request(50);
    tick(10);
    const inFlight = gate.started();
    request(0, true);
    expect(gate.pace()).toBe(12);
    // One request in flight and none may follow it until it is answered (or a second has passed).
    expect(gate.waitMs()).toBe(1000);
    gate.passed(inFlight);
    expect(gate.waitMs()).toBeGreaterThan(0);
  });

  it('counts a pass by when it was sent, which is when the limit counted it', () => {
    const { gate, tick } = clocked();
    // Six sent at 0 and answered 1.5 s later: they were counted in a second that is over.
    const slow = Array.from({ length: 6 }, () => gate.started());
    tick(1500);
    for (const sent of slow) gate.passed(sent);
    gate.throttled(1000, gate.started());
    expect(gate.pace()).toBe(PROBE_FLOOR);
  });

  it('never probes from less than PROBE_FLOOR', () => {
    const { gate, request } = clocked();
    request(0, true);
    expect(gate.pace()).toBe(PROBE_FLOOR);
  });

  it('sends no more in any one second than the pace: a window still full from a burst is left until the burst ages out', () => {
    const { gate, tick, request } = clocked();
    // A burst of 20 in the first 100 ms, then a 429.
    for (let i = 0; i < 20; i += 1) {
      const sent = gate.started();
      tick(5);
      gate.passed(sent);
    }
    request(5, true);
    expect(gate.pace()).toBe(20);
    // The pace allows one every 50 ms, but 20 were sent within the last second: nothing until the
    // first of them the limit counted is a second old. The first went first, and counts from when it
    // may have arrived, OPENING_SLACK_MS later: the second, sent at 5 ms, may be the first counted.
    const firstCounted = Math.min(OPENING_SLACK_MS, 5);
    expect(gate.waitMs()).toBeCloseTo(firstCounted + 1000 + 1 - 105, 6);
    tick(firstCounted + 1000 - 105 + 1);
    expect(gate.waitMs()).toBe(0);
  });

  it('takes the 429s of requests already in flight as one signal, and halves the pace at each later 429 while throttled', () => {
    // Nothing got through yet, so the first pace's failure says nothing of where the limit is (below).
    const { gate, tick, request } = clocked();
    const early = [gate.started(), gate.started()];
    tick(20);
    gate.throttled(1000, early[0]!);
    const first = gate.pace()!;
    gate.throttled(1000, early[1]!); // sent before the episode began
    expect(gate.pace()).toBe(first);
    tick(1000);
    request(20, true); // the one probe in flight fails again
    expect(gate.pace()).toBe(first / 2);
    tick(1000);
    request(20, true);
    expect(gate.pace()).toBe(first / 4);
  });

  it('probing doubles the pace every PROBE_STEP_MS (or round trip) of passes, and the next 429 brackets the limit', () => {
    const { gate, tick, request, at } = clocked();
    // 12 passes in the second before the first 429: probing from 12 a second, where the next 429
    // fails over 2 * PROBE_FLOOR (below, under it).
    for (let i = 0; i < 12; i += 1) request(50);
    request(0, true);
    tick(1000);
    request(20); // recovered
    const start = gate.pace()!;
    expect(start).toBe(12);
    // PROBE_STEP_MS of requests at the pace, each passing: the pace is about twice what it was.
    const from = at();
    while (at() - from < PROBE_STEP_MS) {
      tick(Math.max(0, 1000 / gate.pace()! - 20));
      request(20);
    }
    expect(gate.pace()! / start).toBeGreaterThan(1.7);
    expect(gate.pace()! / start).toBeLessThan(2.6);
    const failing = gate.pace()!;
    request(20, true);
    // Between failing / 2 and 0.75 × failing: here what passed in the last second.
    const measured = gate.pace()! / BETA;
    expect(measured).toBeGreaterThanOrEqual(0.5 * failing - 1e-9);
    expect(measured).toBeLessThanOrEqual(0.75 * failing + 1e-9);
  });

  it('probes no faster than twice what CONCURRENCY in flight carry at the round trip of a pass, and one stalled answer does not lower it', () => {
    const clock = clocked();
    const { gate, tick } = clock;
    clock.request(400, true);
    tick(1000);
    flow(clock, 400, 200); // 400 ms round trips: CONCURRENCY in flight carry 20 a second
    const capped = gate.pace()!;
    expect(capped).toBeCloseTo((2 * CONCURRENCY * 1000) / 400, 5);
    // One answer that stalled for 20 s says nothing of the limit: the pace does not drop.
    const stalled = gate.started();
    tick(20_000);
    gate.passed(stalled);
    expect(gate.pace()).toBe(capped);
  });

  it('a failed probe counts a request still unanswered as not refused: a pass may take longer than a 429', () => {
    const { gate, tick, request } = clocked();
    request(0, true);
    tick(1000);
    request(20); // recovered: probing at PROBE_FLOOR
    const failing = gate.pace()!;
    for (let i = 0; i < 3; i += 1) {
      gate.started(); // passes that take long
      tick(1);
    }
    // A fast 429: 1 passed and 3 unanswered in the second before it. 4 not refused bracket the
    // limit at 0.75 of the failing pace; the pass alone would have put it at half.
    request(20, true);
    expect(gate.pace()).toBeCloseTo(BETA * 0.75 * failing, 5);
  });

  it('where answers take over a second, a failed probe brackets the limit at 0.75 of its pace, not by the last second', () => {
    const { gate, tick, request } = clocked();
    request(1500, true);
    tick(1000);
    request(1500); // recovered: nothing sent in the last second has an answer yet
    const failing = gate.pace()!;
    request(1500, true);
    expect(gate.pace()).toBeCloseTo(BETA * 0.75 * failing, 5);
  });

  it('where its first pace fails before anything passed, cuts to what got through in the second before, if the keys left take at most half the time left there', () => {
    /** Two at once, one refused (a limit of one a second, or one at once): probing from PROBE_FLOOR, whose first request is refused too. */
    const firstPaceFails = (keys: number) => {
      const clock = clocked(keys, 30_000);
      const { gate, tick } = clock;
      const opening = [gate.started(), gate.started()];
      tick(20);
      gate.passed(opening[0]!);
      gate.throttled(1000, opening[1]!);
      expect(gate.pace()).toBe(PROBE_FLOOR);
      tick(gate.waitMs());
      clock.request(20, true);
      return clock;
    };
    // One got through in the second before: the cut lands on one a second, not on half the guess,
    // and the climb back aims there too, not at the guess (after the pass that ends the episode).
    const few = firstPaceFails(10);
    expect(few.gate.pace()).toBeCloseTo(1, 9);
    few.tick(1000);
    few.request(20);
    few.request(20);
    expect(few.gate.pace()).toBeLessThan(1 / BETA);
    // 14 keys left take 14 s at one a second, within half the 29.7 s left; 15 take longer. Then it
    // halves instead (what got through may be another run's leftover), and climbs back along the cubic.
    expect(firstPaceFails(15).gate.pace()).toBeCloseTo(1, 9);
    const many = firstPaceFails(16);
    expect(many.gate.pace()).toBe(PROBE_FLOOR / 2);
    many.tick(1000);
    many.request(20); // recovered
    many.request(20);
    expect(many.gate.pace()).toBeGreaterThan(PROBE_FLOOR / 2);
    expect(many.gate.pace()).toBeLessThan(PROBE_FLOOR); // doubling would be there already
  });

  it('a pass sent after an idle gap does not speed probing up: the limit had saved up room for it', () => {
    const { gate, tick, request } = clocked();
    request(0, true);
    tick(1000); // nothing sent for a second: a limit of one a second has room again
    request(20); // recovered
    const start = gate.pace()!;
    tick(1000);
    request(20);
    expect(gate.pace()).toBe(start);
    // Sent when the pace let it, a timer a little late: it counts.
    tick(1000 / start - 20 + 10);
    request(20);
    expect(gate.pace()).toBeGreaterThan(start);
  });

  it('a request that waited on the pace went at it, though its timer fired late (a loaded runner)', () => {
    const { gate, tick, request } = clocked();
    for (let i = 0; i < 30; i += 1) request(20);
    request(0, true); // probing from 30 a second: half an interval is under PACED_SLACK_MS
    tick(1000);
    request(20); // recovered
    const start = gate.pace()!;
    for (let i = 0; i < 5; i += 1) {
      const wait = gate.waitMs();
      expect(wait).toBeGreaterThan(0);
      tick(wait + 2 * PACED_SLACK_MS); // the timer fires late
      request(20);
    }
    expect(gate.pace()).toBeGreaterThan(1.5 * start);
  });

  it('a pass sent before the last 429 does not speed probing up', () => {
    const { gate, tick, request } = clocked();
    const early = [gate.started(), gate.started()];
    tick(20);
    gate.throttled(1000, early[0]!);
    tick(1000);
    request(20); // the probe passes: recovered
    const start = gate.pace()!;
    gate.passed(early[1]!); // in flight since before the 429: it says nothing of the pace since
    expect(gate.pace()).toBe(start);
    request(20);
    expect(gate.pace()).toBeGreaterThan(start);
  });

  it('after a later 429, cuts to BETA of the failing pace, and climbs back to it over CYCLE passes', () => {
    const { gate, tick, request } = steady();
    const failing = gate.pace()!;
    request(20, true);
    expect(gate.pace()).toBeCloseTo(BETA * failing, 5);
    tick(1000);
    request(20); // recovered
    for (let i = 0; i < CYCLE; i += 1) request(20);
    expect(gate.pace()).toBeCloseTo(failing, 5);
    for (let i = 0; i < CYCLE; i += 1) request(20);
    expect(gate.pace()).toBeCloseTo(failing * (2 - BETA), 5);
  });

  it('under PROBE_FLOOR, the one request after a 429 goes no sooner than a second after the last that got through', () => {
    // As steady(), with 12 passes in the second before the first 429: a pace of 4.8, where the request
    // after the recovery waits on the pace alone, not on the cap of a second.
    const { gate, tick, request, at } = steadyFrom(12);
    expect(gate.pace()).toBeCloseTo(4.8, 6);
    const lastThrough = at() - 20; // the last request, which passed
    tick(100);
    request(20, true);
    expect(gate.pace()).toBeLessThan(PROBE_FLOOR);
    // A window that counted lastThrough and refused this one has turned by then.
    expect(gate.waitMs()).toBeCloseTo(lastThrough + 1001 - at(), 6);
    expect(gate.waitMs()).toBeGreaterThan(1000 / gate.pace()!);
    tick(gate.waitMs());
    request(20); // recovered: the pace alone again
    expect(gate.waitMs()).toBeCloseTo(1000 / gate.pace()! - 20, 6);
    // At PROBE_FLOOR, the pace alone: the first 429, a pass 20 ms before it.
    const first = clocked();
    first.request(20);
    first.request(20, true);
    expect(first.gate.pace()).toBe(PROBE_FLOOR);
    expect(first.gate.waitMs()).toBe(1000 / PROBE_FLOOR);
  });

  it("counts the opening's requests from when they may have arrived, by how much their round trip exceeds the least pass's", () => {
    /** The first round passes in `openingMs`, then, from 100 ms later, 18 requests one at a time in 5 ms each, and a 429: a pace of 20. */
    const nextAfterBurst = (openingMs: number) => {
      const { gate, tick, request, at } = clocked();
      const opening = [gate.started(), gate.started()];
      tick(openingMs);
      for (const sent of opening) gate.passed(sent);
      tick(100);
      for (let i = 0; i < 18; i += 1) request(5);
      request(5, true);
      expect(gate.pace()).toBe(20);
      return at() + gate.waitMs();
    };
    // Sent at 0 on cold connections, 25 ms slower than a pass since: they may have arrived at 25 ms,
    // and the window that counted them turns a second after that.
    expect(nextAfterBurst(30)).toBeCloseTo(25 + OPENING_SLACK_MS + 1001, 6);
    // No slower than the passes after them: the slack alone.
    expect(nextAfterBurst(5)).toBeCloseTo(OPENING_SLACK_MS + 1001, 6);
  });

  it('at a few a second, a failed probe or the first 429 at a steady pace sets the ceiling no higher than one over what got through in the second before', () => {
    /**
     * The first answer passes (or, `joined`, is refused: the run joined a limit another client
     * spends), a 429, and the probe from PROBE_FLOOR doubles once and is refused at 2 * PROBE_FLOOR
     * with 2 passes in the second before: the bracket alone says 4 (half the pace that failed), the bound 3.
     */
    const probeFailed = (joined: boolean) => {
      const { gate, tick, request } = clocked();
      request(20, joined);
      request(0, true);
      tick(1000);
      request(20); // recovered, probing at PROBE_FLOOR
      tick(1000 / PROBE_FLOOR - 20);
      request(20); // at the pace: the probe doubles
      expect(gate.pace()).toBe(2 * PROBE_FLOOR);
      tick(1000 / (2 * PROBE_FLOOR) - 20);
      request(20, true);
      return gate.pace();
    };
    expect(probeFailed(false)).toBeCloseTo(BETA * 3, 6);
    // What gets through a limit another client spends is its leftover: the bracket stands.
    expect(probeFailed(true)).toBeCloseTo(BETA * 4, 6);
    // A probe refused at its first pace (6 a second, from the opening) has not grown: what got through
    // may be the opening's. The bracket stands (3), though 1 got through.
    expect(steadyFrom(6).gate.pace()).toBeCloseTo(BETA * 3, 6);

    // The first 429 at a steady pace under PROBE_FLOOR: probing from 9 a second failed at once (the
    // bracket 4.5, the cut 3.6), and the pace, recovered, is refused with 1 pass in the second before.
    const first = steadyFrom(9);
    const steadyPace = first.gate.pace()!;
    expect(steadyPace).toBeGreaterThan(2);
    expect(steadyPace).toBeLessThanOrEqual(PROBE_FLOOR);
    first.tick(100);
    first.request(20, true);
    expect(first.gate.pace()).toBeCloseTo(BETA * 2, 6);

    // The limit counts a request when it arrives: one sent 1,005 ms before, under half a round trip
    // more than a second, may have arrived within the second it counted. 2 got through: the bound 3.
    const arrived = steadyFrom(9);
    const recovered = arrived.at() - 20; // the pass that recovered, sent 20 ms ago
    arrived.tick(arrived.gate.waitMs());
    arrived.request(20); // at the pace
    arrived.tick(recovered + 1005 - arrived.at());
    arrived.request(20, true);
    expect(arrived.gate.pace()).toBeCloseTo(BETA * 3, 6);

    // Only the first: where that one came over PROBE_FLOOR (a cut by BETA, whatever got through), a
    // later one under it, with 1 pass in the second before, is cut by BETA too.
    const { gate, tick, request } = steadyFrom(12);
    expect(gate.pace()).toBeCloseTo(4.8, 6);
    tick(100);
    request(20, true); // 1 pass in the second before
    expect(gate.pace()).toBeCloseTo(BETA * 4.8, 6);
    tick(gate.waitMs());
    request(20); // recovered at 3.84 a second
    tick(gate.waitMs());
    const later = gate.pace()!;
    expect(later).toBeGreaterThan(2);
    expect(later).toBeLessThanOrEqual(PROBE_FLOOR);
    request(20, true); // 1 pass in the second before
    expect(gate.pace()).toBeCloseTo(BETA * later, 6);
  });

  it('after a halving while throttled, climbs back over CYCLE passes to the pace that failed then, not to an older one', () => {
    const { gate, tick, request } = steady();
    const older = gate.pace()!;
    request(20, true); // an episode: BETA of it
    tick(400);
    // Still throttled: halved, though a pass went in the second before (only the first probe's
    // pace is a guess that what got through corrects).
    request(20, true);
    const failed = BETA * older;
    expect(gate.pace()).toBeCloseTo(failed / 2, 5);
    tick(1000);
    request(20); // recovered
    for (let i = 0; i < CYCLE; i += 1) request(20);
    expect(gate.pace()).toBeCloseTo(failed, 5);
  });

  it('climbs no further than the last failing pace once few keys are left, and stays below it at the very end', () => {
    const { gate, tick, request } = steady(60);
    const failing = gate.pace()!;
    request(20, true);
    tick(1000);
    request(20);
    for (let i = 0; i < 2 * CYCLE; i += 1) request(20);
    // 60 keys: too few for a 429 past the limit to pay, and the last ones are within a Retry-After.
    expect(gate.pace()).toBeLessThanOrEqual(failing);
    expect(gate.pace()).toBeCloseTo(BETA * failing, 5);
  });

  it('climbs past the last failing pace only while the keys left are worth a 429, where a Retry-After is too short for the end game', () => {
    /** After a 429 with no wait at all, 2 * CYCLE passes: past the ceiling the cubic would grow. */
    const climbed = (keys: number) => {
      const { gate, tick, request } = steady(keys);
      const failing = gate.pace()!;
      const sent = gate.started();
      tick(20);
      gate.throttled(0, sent);
      tick(1000);
      for (let i = 0; i <= 2 * CYCLE; i += 1) request(20);
      return { failing, pace: gate.pace()! };
    };
    // 2 passes in steady() and 2 * CYCLE + 1 here: keys left are counted against that.
    const passed = 2 + 2 * CYCLE + 1;
    const many = climbed(passed + 1000);
    expect(many.pace).toBeGreaterThan(many.failing);
    // Two seconds' worth left at the ceiling: a 429 past it would not pay.
    const few = climbed(passed + Math.floor(2 * many.failing));
    expect(few.pace).toBeLessThanOrEqual(few.failing);
    expect(few.pace).toBeGreaterThan(BETA * few.failing); // not the end game's drop: that needs a Retry-After
  });

  it('climbs back in JOINED_CLIMB_MS where its first requests were all refused: it joined a limit another client spends', () => {
    /** A first round of 2: the second refused, the first as `opening` says; then a probe that fails. */
    const afterProbe = (opening: 'passed' | 'refused' | 'stalled') => {
      const clock = clocked();
      const { gate, tick, request } = clock;
      const first = gate.started();
      tick(1); // on the real clock, requests of a round go apart
      const second = gate.started();
      tick(20);
      gate.throttled(1000, second); // the first answer: a 429 may come faster than a pass
      if (opening === 'passed') gate.passed(first);
      if (opening === 'refused') gate.throttled(1000, first);
      tick(1000);
      request(20); // recovered: probing
      request(20, true); // the probe fails
      const ceiling = gate.pace()! / BETA;
      tick(1000);
      request(20); // recovered
      return { ...clock, ceiling };
    };
    for (const opening of ['passed', 'refused', 'stalled'] as const) {
      const { gate, tick, request, ceiling } = afterProbe(opening);
      // A pass every 800 ms: 5 passes, past JOINED_CLIMB_MS after the cut.
      for (let i = 0; i < 5; i += 1) {
        tick(800 - 20);
        request(20);
      }
      if (opening === 'refused') expect(gate.pace()).toBeGreaterThanOrEqual(ceiling);
      // A run whose opening passed, or may yet (a stalled connection), spends a limit of its own:
      // its ceiling is CYCLE passes away.
      else expect(gate.pace()).toBeLessThan(0.85 * ceiling);
    }
    expect(JOINED_CLIMB_MS).toBeLessThanOrEqual(1000 + 5 * 800);
  });

  it('holds a failed probe at its whole requests a second where a cut would leave keys past the deadline, until a 429', () => {
    // A bucket of burst 1 at 3 a second: the opening's second request is refused, and so is the probe's
    // first, at 4 a second. The bracket puts the limit at 2 a second or more; a cut by BETA, 1.6, sends
    // one a second, as the pace sends whole requests in any second.
    const afterProbe = (keys: number) => {
      let now = 0;
      const gate = new RateGate(
        keys,
        () => now,
        () => 30_000 - now
      );
      const request = (ms: number, throttled = false) => {
        const sent = gate.started();
        now += ms;
        if (throttled) gate.throttled(1000, sent);
        else gate.passed(sent);
      };
      const [first, second] = [gate.started(), gate.started()];
      now = 2;
      gate.throttled(1000, second);
      now = 8;
      gate.passed(first);
      now = 252;
      request(2, true);
      return { gate, request, tick: (ms: number) => (now += ms) };
    };
    // 9 keys left at one a second take 9 s of the 29.7 left: the cut stands.
    expect(afterProbe(10).gate.pace()).toBeCloseTo(BETA * 2);
    // 49 would take 49 s: the pace holds at 2 a second, through the passes that follow.
    const { gate, request, tick } = afterProbe(50);
    expect(gate.pace()).toBe(2);
    for (let i = 0; i < 3; i++) {
      tick(500);
      request(10);
      expect(gate.pace()).toBe(2);
    }
    // A 429 at 2 a second says it is too fast: the cut, and the climb back, are as anywhere else.
    tick(500);
    request(2, true);
    expect(gate.pace()).toBeCloseTo(BETA * 2);
    for (let i = 0; i < 2; i++) {
      tick(600);
      request(10);
    }
    expect(gate.pace()).toBeLessThan(2);

    // A held pace refused at once (another run spends the limit too) was the hold's one 429: the
    // climb goes back to what the cut would have set, 1.6 a second, not to the pace held.
    const refused = afterProbe(50);
    refused.tick(500);
    refused.request(2, true);
    expect(refused.gate.pace()).toBeCloseTo((BETA * 2) / 2);
    for (let i = 0; i < 8; i++) {
      refused.tick(1000);
      refused.request(10);
      expect(refused.gate.pace()!).toBeLessThanOrEqual(BETA * 2 + 1e-9);
    }
  });

  /** The opening's second request refused with `retryAfterMs`, then two requests pass at the pace, 20 ms each. */
  const refusedThenTwoPasses = (keys: number, retryAfterMs: number) => {
    let now = 0;
    const gate = new RateGate(
      keys,
      () => now,
      () => 30_000 - now
    );
    const [first, second] = [gate.started(), gate.started()];
    now = 20;
    gate.passed(first);
    gate.throttled(retryAfterMs, second);
    for (let i = 0; i < 2; i++) {
      now += gate.waitMs();
      const sent = gate.started();
      now += 20;
      gate.passed(sent);
    }
    return { gate, at: (ms: number) => (now = ms) };
  };

  it('probes no faster where the keys left are done at its pace before a refused key is back from its Retry-After', () => {
    const probed = (keys: number, retryAfterMs: number) => refusedThenTwoPasses(keys, retryAfterMs).gate.pace();
    // The second pass doubles the probe's pace where the batch may end sooner for it.
    expect(probed(12, 1000)).toBe(2 * PROBE_FLOOR);
    // 9 keys left take 2.25 s at 4 a second, and the refused key is back 4.5 s later: the pace holds.
    expect(probed(12, 5000)).toBe(PROBE_FLOOR);
    expect(probed(100, 5000)).toBe(2 * PROBE_FLOOR);
    // A Retry-After the deadline leaves no time for: fetchMe gives that key up, and nothing waits for it.
    expect(probed(12, 30_000)).toBe(2 * PROBE_FLOOR);
  });

  it('a probe that stopped growing for a refused key and then fails cuts no lower than what has the keys left done by the time it is back', () => {
    /** Stopped at PROBE_FLOOR by a Retry-After of 10 s, then a 429 at 1,600 ms. */
    const failedAfterStopping = (keys: number) => {
      const { gate, at } = refusedThenTwoPasses(keys, 10_000);
      expect(gate.pace()).toBe(PROBE_FLOOR);
      at(1600);
      const sent = gate.started();
      at(1620);
      gate.throttled(10_000, sent);
      return gate.pace();
    };
    // Nothing got through in the second before, so the bracket says 2 a second, and the cut 1.6, one a
    // second; 25 keys left need 2.5 a second to be done by 11.62 s, when both refused keys are back:
    // the ceiling goes to the bracket's top, 3.
    expect(failedAfterStopping(28)).toBeCloseTo(BETA * 3);
    // 9 keys left need less than the bracket gives: it stands.
    expect(failedAfterStopping(12)).toBeCloseTo(BETA * 2);
  });

  it('never paces slower than MIN_RATE', () => {
    const { gate, tick, request } = clocked();
    request(0, true);
    for (let i = 0; i < 20; i += 1) {
      tick(60_000);
      request(20, true);
    }
    expect(gate.pace()).toBe(MIN_RATE);
  });
});

describe('Gate', () => {
  /** A pace that allows everything: the gate's own order and concurrency are what is tested. */
  const open: Pace = { waitMs: () => 0, started: () => 0, passed: () => undefined, throttled: () => undefined };

  it('admits in order, a retry first, and never more than CONCURRENCY at once', async () => {
    const gate = new Gate(open);
    const deadline = new Deadline(5000);
    const order: string[] = [];
    const enter = (name: string, retry = false) =>
      gate.enter(deadline, { retry }).then((sent) => {
        order.push(name);
        return sent;
      });
    const first = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => enter(`k${i}`)));
    const waiting = [enter('late'), enter('retry', true)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toHaveLength(CONCURRENCY);
    gate.leave(first[0]!);
    gate.leave(first[1]!);
    await Promise.all(waiting);
    expect(order.slice(CONCURRENCY)).toEqual(['retry', 'late']);
    deadline.dispose();
  });

  it('waits as long as the pace says, and gives up when the deadline passes, leaving no place behind', async () => {
    let calls = 0;
    const slow: Pace = { ...open, waitMs: () => (calls++ === 0 ? 30 : 0) };
    const gate = new Gate(slow);
    const deadline = new Deadline(5000);
    const started = performance.now();
    await gate.enter(deadline);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    deadline.dispose();

    const never: Pace = { ...open, waitMs: () => Number.POSITIVE_INFINITY };
    const stuck = new Gate(never);
    const short = new Deadline(20);
    await expect(stuck.enter(short)).rejects.toThrow('the deadline passed');
    expect((stuck as unknown as { waiting: unknown[] }).waiting).toHaveLength(0);
  });
});
