// The pace of a batch, in the simulation that runs the real check (script/pace-sim.ts: the Gate, the
// RateGate pace and fetchMe's 429 loop under the run's 30 s deadline, on a virtual clock) over a
// sampled grid of rate limits. `npm run pace` (in .ci/run) holds the whole grid to issue 20's
// targets, and `npm run bench` reports them (docs/BENCHMARKS.md); what is asserted here is what
// the sample reaches today, so that a change to the pace that makes it worse fails in the loop.

import { describe, expect, it } from '@jest/globals';
import { createLimit, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { RateGate } from '../src/limiter.js';
import { KEY } from './helpers/assertions.js';
import {
  COLD_START_MS,
  DEADLINE_MS,
  GRID,
  JITTER,
  SECOND_RUN_STARTS,
  bestForAllRuns,
  bestSchedule,
  costOf,
  describeCell,
  floorOf,
  gridCells,
  halfwayStartMs,
  offGridLimits,
  over10PercentOf50Plus,
  quantile,
  runGrid,
  simulate,
  tenKeysOver2,
  unverifiedWhereBestFits,
  whereUsersRunIt,
  type Cell
} from '../script/pace-sim.js';

const cell = (overrides: Partial<Cell>): Cell => ({
  shape: 'token bucket',
  burst: 5,
  rate: 10,
  latencyMs: 100,
  throttleLatencyMs: 100,
  retryAfter: 1,
  phaseMs: 0,
  keys: 60,
  ...overrides
});

describe('the simulation', () => {
  it('knows the best schedule of each shape', () => {
    // The burst at once, then 10 a second, and one round trip: 5.5 s + 0.1 s.
    expect(bestSchedule(cell({}))).toBeCloseTo(5600, 6);
    // 20 in each second from 370 ms into one: 20 by 200 ms, 20 from 630 ms, the last 10 from 1630 ms.
    expect(bestSchedule(cell({ shape: 'fixed window', rate: 20, keys: 50, phaseMs: 370 }))).toBeCloseTo(1830, 6);
    // The same from the window's edge: 20 by 200 ms, 20 from 1000 ms, the last 10 from 2000 ms.
    expect(bestSchedule(cell({ shape: 'fixed window', rate: 20, keys: 50, phaseMs: 0 }))).toBeCloseTo(2200, 6);
    // 20 in any second: the first 20 by 200 ms, then each a second after one of them.
    expect(bestSchedule(cell({ shape: 'sliding window', rate: 20, keys: 21 }))).toBeCloseTo(1100, 3);
    // No limit that binds: rounds of CONCURRENCY.
    expect(bestSchedule(cell({ burst: 100, keys: 20 }))).toBe(300);
  });

  it('runs the real check: unlimited, every key passes in rounds of 2 and 4, then 8 at once, latency jittered', async () => {
    const outcome = await simulate(cell({ burst: 100, rate: 50, keys: 16 }));
    expect(outcome).toMatchObject({ requests: 16, throttled: 0, unverified: 0 });
    // 16 = 2 + 4 + 8, and 2 more as the first of the 8 are answered: 4 latencies, each within 20% of 100 ms.
    expect(outcome.ms).toBeGreaterThan(4 * 80);
    expect(outcome.ms).toBeLessThan(4 * 120);
  });

  it('is deterministic: the same cell, the same outcome', async () => {
    const one = cell({ shape: 'sliding window', rate: 5, keys: 50, retryAfter: 'limit' });
    expect(await simulate(one)).toEqual(await simulate(one));
  });

  it('counts the keys the deadline leaves unverified', async () => {
    // 60 keys at 1 a second cannot all pass in 30 s, whatever the client does.
    const slow = cell({ burst: 1, rate: 1 });
    expect(bestSchedule(slow)).toBeGreaterThan(DEADLINE_MS);
    const outcome = await simulate(slow);
    expect(outcome.unverified).toBeGreaterThan(0);
    expect(outcome.ms).toBeLessThanOrEqual(DEADLINE_MS);
  });

  it("counts the opening's 429s apart: those of requests sent before any 429 came back", async () => {
    // What the pace itself was told, as the yardstick: the 429s it heard of for requests it sent
    // before it heard of the first.
    const heard = async (one: Cell) => {
      let firstAt = Number.POSITIVE_INFINITY;
      let opening = 0;
      const outcome = await simulate(one, (now, keys, remainingMs) => {
        const pace = new RateGate(keys, now, remainingMs);
        const throttled = pace.throttled.bind(pace);
        pace.throttled = (retryAfterMs, sent) => {
          firstAt = Math.min(firstAt, now());
          if (sent < firstAt) opening += 1;
          throttled(retryAfterMs, sent);
        };
        return pace;
      });
      return { outcome, opening };
    };
    // A burst of 20 that refills once a second, 429s as slow as passes: the 21st is refused, and so
    // are the 7 sent after it before its 429 comes back.
    const burst = await heard(cell({ burst: 20, rate: 1, keys: 50, retryAfter: 5 }));
    expect(burst.outcome.openingThrottled).toBe(burst.opening);
    expect(burst.opening).toBe(8);
    expect(burst.outcome.throttled).toBeGreaterThan(burst.opening);
    // Two at once on a limit of one: the second is the opening's only 429.
    const one = await heard(cell({ burst: 1, rate: 1, keys: 10, retryAfter: 5 }));
    expect(one.outcome.openingThrottled).toBe(one.opening);
    expect(one.opening).toBe(1);
    // Nothing refused, nothing counted.
    expect((await simulate(cell({ burst: 100, rate: 50, keys: 16 }))).openingThrottled).toBe(0);
  });

  it('takes a floor per group: a client cannot tell a tight limit from a loose one before a 429', () => {
    const tight = cell({ burst: 1, rate: 50, keys: 10, latencyMs: 20, throttleLatencyMs: 20, retryAfter: 5 });
    const loose = { ...tight, burst: 100 };
    const [tightBest, looseBest] = [bestSchedule(tight), bestSchedule(loose)];
    // Going as fast as the loose cell allows costs a 429 and its 5 s in the tight one ...
    expect(costOf(tight, tightBest)).toBeCloseTo(20 + 5000 + 20, 6);
    // ... and holding back to the tight pace costs its best over the loose one's: the floor is the lesser.
    const floor = floorOf([
      { cell: tight, bestMs: tightBest },
      { cell: loose, bestMs: looseBest }
    ]);
    expect(floor).toBeCloseTo(Math.min(tightBest / looseBest, costOf(tight, tightBest) / tightBest), 6);
    expect(floor).toBeGreaterThan(1);
  });

  it("counts the emulator's limit from its first request, as the simulation counts from the run's first", async () => {
    // A window of one a second turning 500 ms after the first request. Counted from the server's
    // start instead, the first request (550 ms in) and the second (550 ms after it) would share a
    // window, and the same cell end to end would be another limit than the one simulated.
    const emulator = await startEmulator({
      rateLimit: { shape: 'fixed window', perSecond: 1, phaseMs: 500, retryAfterS: 1 }
    });
    const statusAfter = async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const response = await fetch(`${emulator.url}/me`, { headers: { authorization: `Basic ${KEY.USER}` } });
      await response.arrayBuffer();
      return response.status;
    };
    try {
      expect([await statusAfter(550), await statusAfter(0)]).toEqual([200, 429]);
      expect(await statusAfter(550)).toBe(200);
      // reset() starts the clock again at the next request.
      emulator.reset();
      expect([await statusAfter(550), await statusAfter(0), await statusAfter(550)]).toEqual([200, 429, 200]);
    } finally {
      await emulator.close();
    }
  });
});

describe('the pace over a sampled grid (every 7th cell)', () => {
  const scored = runGrid(gridCells().filter((_, i) => i % 7 === 0));

  it('never beats the best schedule by more than latency jitter', async () => {
    // The best schedule takes every request's mean latency; a run can only gain what jitter gives.
    const early = (await scored).filter((one) => one.ms < (1 - JITTER) * one.bestMs && one.unverified === 0);
    expect(early.map(describeCell)).toEqual([]);
  });

  it('is within 1.2× of the best schedule in the median cell, 2× at p90 (measured 1.155×, 1.85×)', async () => {
    const ratios = (await scored).map((one) => one.ratio);
    expect(quantile(ratios, 0.5)).toBeLessThanOrEqual(1.2);
    expect(quantile(ratios, 0.9)).toBeLessThanOrEqual(2);
  });

  it('verifies every key where the best schedule fits in the deadline with 20% to spare', async () => {
    const missed = unverifiedWhereBestFits(await scored);
    expect(missed.map(describeCell)).toEqual([]);
  });

  it('keeps 429s within 10% of requests in all but 40 of 278 cells of 50 keys or more, and 2 in all but 8 of 93 ten-key batches', async () => {
    // Not yet in every such cell (issue 20's target): docs/BENCHMARKS.md has the cells over, and the
    // controllers measured that spend fewer 429s but lose a target that is met. 17 of the 40 are
    // cells no schedule finishes in 30 s, and 18 are over on the opening's 429s alone, which a client
    // sends alike where a key has no limit (2 are both). 38 before the opening's requests counted
    // from when they may have arrived, which a cold start needs (pace-experiments.md#a-cold-start).
    const cells = await scored;
    expect(cells.filter(over10PercentOf50Plus).length).toBeLessThanOrEqual(40);
    expect(cells.filter(tenKeysOver2).length).toBeLessThanOrEqual(8);
  });
});

describe('the pace off the grid: answers slower than the grid has, 429s faster', () => {
  // The grid's slowest pass takes 300 ms. Where passes take 600 or 900 ms and a 429 a twentieth of
  // that, the requests still in flight must not read as refused.
  const slow = gridCells({
    shapes: ['token bucket', 'fixed window', 'sliding window'],
    bursts: [20],
    rates: [3, 8, 12],
    latenciesMs: [600, 900],
    throttleLatencies: [0.05],
    retryAfters: [1],
    phasesMs: [0],
    keys: [50]
  });

  it('verifies every key where the best schedule fits in the deadline with 20% to spare', async () => {
    const missed = unverifiedWhereBestFits(await runGrid(slow));
    expect(missed.map(describeCell)).toEqual([]);
  });

  // Between the grid's 1 and 5 a second: a probe refused at its first request brackets the limit at
  // 2, and a cut by BETA (1.6 a second) sends one a second, too slow for these batches to finish.
  it.each([
    cell({ burst: 1, rate: 3, latencyMs: 10, throttleLatencyMs: 2, retryAfter: 'limit', keys: 50 }),
    cell({ shape: 'fixed window', burst: 0, rate: 2, latencyMs: 500, throttleLatencyMs: 250, phaseMs: 950, keys: 50 })
  ])('verifies every key on a limit of 2 or 3 a second, where the best schedule fits: %j', async (one) => {
    expect(bestSchedule(one)).toBeLessThan(0.8 * DEADLINE_MS);
    expect(await simulate(one)).toMatchObject({ unverified: 0 });
  });

  // `npm run pace` holds today's figures on offGridLimits(): a draw that changed from run to run
  // would make those checks flaky, and one that fell back onto the grid would make them moot.
  it('draws the same random limits on every run, of shapes the grid does not hold', () => {
    const drawn = offGridLimits(300);
    expect(offGridLimits(300)).toEqual(drawn);
    expect(offGridLimits(300, 2)).not.toEqual(drawn);
    expect(drawn.some(({ rate }) => !GRID.rates.includes(rate))).toBe(true);
    expect(drawn.some(({ shape, phaseMs }) => shape === 'fixed window' && !GRID.phasesMs.includes(phaseMs))).toBe(true);
    expect(drawn.some(({ latencyMs, throttleLatencyMs }) => throttleLatencyMs > latencyMs)).toBe(true);
    expect(drawn.some(({ latencyMs, throttleLatencyMs }) => throttleLatencyMs < latencyMs / 2)).toBe(true);
    for (const one of drawn) {
      expect(one.burst > 0).toBe(one.shape === 'token bucket');
      if (one.shape !== 'fixed window') expect(one.phaseMs).toBe(0);
    }
  });
});

describe('the pace where users run it: windows that count refused requests, a limit another run shares, a cold start', () => {
  it('a window that counts refused requests keeps refusing while they come, and lets one through once they age out', () => {
    for (const countsRefused of [false, true]) {
      const limit = createLimit({ shape: 'sliding window', perSecond: 2, countsRefused });
      expect([limit.admit(0), limit.admit(0), limit.admit(500), limit.admit(999)]).toEqual([true, true, false, false]);
      // At 1,000.5 ms the two that passed have aged out; the refused ones at 500 and 999 have not.
      expect(limit.admit(1000.5)).toBe(!countsRefused);
    }
    const fixed = createLimit({ shape: 'fixed window', perSecond: 1, phaseMs: 0, countsRefused: true });
    expect([fixed.admit(0), fixed.admit(10), fixed.admit(1000)]).toEqual([true, false, true]);
  });

  it('runs each limit of the shared and joining sets with the second run starting across a second, each start its own jitter', () => {
    const { shared, joining } = whereUsersRunIt();
    for (const [set, ownStart] of [
      [shared, () => 1000],
      [joining, halfwayStartMs]
    ] as const) {
      const limits = set.filter((one) => one.secondRun?.startMs === ownStart(one));
      expect(limits).toHaveLength(120);
      expect(set).toHaveLength(SECOND_RUN_STARTS * limits.length);
      // Every start of a limit is a cell of its own, and describeCell seeds its jitter.
      expect(new Set(set.map(describeCell)).size).toBe(set.length);
      const alone = (one: Cell) => describeCell({ ...one, secondRun: undefined });
      const offsets = set
        .filter((one) => alone(one) === alone(limits[0]!))
        .map((one) => one.secondRun!.startMs - ownStart(one));
      expect(offsets).toHaveLength(SECOND_RUN_STARTS);
      expect(Math.min(...offsets)).toBe(0);
      expect(Math.max(...offsets)).toBeGreaterThanOrEqual(900);
      expect(Math.max(...offsets)).toBeLessThan(1000);
    }
  });

  it('verifies every key where the best schedule fits with 20% to spare, on windows that count refused requests', async () => {
    // The refused requests bite: 50 keys on a sliding window of 5/s take longer where they count.
    const window = cell({ shape: 'sliding window', burst: 0, rate: 5, keys: 50 });
    expect((await simulate({ ...window, countsRefused: true })).ms).toBeGreaterThan((await simulate(window)).ms);
    const cells = whereUsersRunIt().countsRefused.filter((_, i) => i % 3 === 0);
    const missed = unverifiedWhereBestFits(await runGrid(cells));
    expect(missed.map(describeCell)).toEqual([]);
  });

  it('verifies every key of two batches of 10 keys where both fit, the second from 500 ms, as the first learns its pace', async () => {
    // A pace that settles on what got through in a second (tried for small batches, to spend fewer
    // 429s) left keys of these unverified: a run refused from its start beside another has had
    // nothing through, and one that settles beside another stays there once the other has gone.
    const pairs = gridCells({ ...GRID, bursts: [1, 5, 20], rates: [1, 5, 20], keys: [10] }).map((one) => ({
      ...one,
      secondRun: { keys: 10, startMs: 500 }
    }));
    const missed = unverifiedWhereBestFits(await runGrid(pairs));
    expect(missed.map(describeCell)).toEqual([]);
  });

  it('verifies every key on a loaded runner, where every timer fires up to 30 ms late', async () => {
    // A probe that grew only on requests sent within 25 ms of their time never grew there (its late
    // requests read as sent after an idle gap), and never met the 429 that ends probing: these lost
    // 78 to 547 keys, in review. (From about 40 ms late, every request a timer paces goes that much
    // later, and the 1,000 keys at 100/s lose some with this probe or without it.)
    const late = [20, 26, 30].flatMap((lateTimersMs) => [
      cell({ burst: 20, rate: 50, latencyMs: 20, throttleLatencyMs: 20, retryAfter: 1, keys: 700, lateTimersMs }),
      cell({ burst: 5, rate: 100, latencyMs: 50, throttleLatencyMs: 50, retryAfter: 1, keys: 1000, lateTimersMs })
    ]);
    const runs = await runGrid(late);
    expect(runs.filter((one) => one.unverified > 0).map(describeCell)).toEqual([]);
  });

  it('verifies every key of a second run that joins a limit the first still spends, where both fit', async () => {
    // Refused from its first request, the second run learned the first run's leftover pace and
    // climbed back to it over 64 passes at that pace: 170 of its 200 keys were left unverified.
    const joining = {
      ...cell({ shape: 'fixed window', burst: 0, rate: 50, latencyMs: 20, throttleLatencyMs: 20, keys: 200 }),
      secondRun: { keys: 200, startMs: 1600 }
    };
    expect(bestForAllRuns(joining)).toBeLessThanOrEqual(0.8 * DEADLINE_MS);
    expect((await simulate(joining)).unverified).toBe(0);
  });

  // Where a controller that settled small batches on what got through lost keys, in review.
  it.each([
    cell({ burst: 1, rate: 0.5, latencyMs: 400, throttleLatencyMs: 400, retryAfter: 10, keys: 10 }),
    {
      ...cell({ burst: 1, rate: 2, latencyMs: 20, throttleLatencyMs: 1, keys: 20 }),
      secondRun: { keys: 10, startMs: 500 }
    },
    { ...cell({ burst: 1, rate: 1, throttleLatencyMs: 50, keys: 10 }), secondRun: { keys: 10, startMs: 0 } },
    // Where a probe that stopped growing for a key refused (Retry-After 10 s) failed, and a cut from
    // half the pace it held sent one a second on a runner whose timers fire 150 ms late, in review.
    cell({ burst: 1, rate: 3, retryAfter: 10, keys: 28, lateTimersMs: 150 }),
    cell({ burst: 1, rate: 3.5, retryAfter: 10, keys: 30, lateTimersMs: 150 }),
    // A window that counts refused requests, where the request after the opening's 429 went 20 ms
    // before the opening's burst left the window: refused and counted, it halved the pace to one a
    // second, and 24 keys were left (a review's cell; the wait after the last pass sends it later).
    {
      ...cell({ shape: 'sliding window', burst: 0, rate: 3, latencyMs: 20, throttleLatencyMs: 30, keys: 55 }),
      retryAfter: 2,
      countsRefused: true
    }
  ])('verifies every key where the best schedule fits: %j', async (one) => {
    expect(bestForAllRuns(one)).toBeLessThanOrEqual(0.8 * DEADLINE_MS);
    expect((await simulate(one)).unverified).toBe(0);
  });

  // Counted from when they were sent, the cold opening's requests had a request a second later
  // arrive within the second that counted them: its 429 held these runs at 2 a second, 2.6x the
  // best schedule (end to end, a run of the 100 ms cell took 23.7 s against 11.4 s simulated).
  // Counted from the least pass's round trip alone, without OPENING_SLACK_MS, the cells with a cold
  // start of 30 ms were held so too.
  it.each([
    [20, COLD_START_MS],
    [100, COLD_START_MS],
    [20, 30],
    [100, 30]
  ])(
    'with a cold start, paces a window of 5 a second at 5, not at 2: latency %i ms, cold start %i ms',
    async (latencyMs, coldStartMs) => {
      const one = {
        ...cell({ shape: 'sliding window', burst: 0, rate: 5, latencyMs, throttleLatencyMs: latencyMs / 2, keys: 50 }),
        retryAfter: 'limit' as const,
        coldStartMs
      };
      expect((await simulate(one)).ms / bestSchedule(one)).toBeLessThanOrEqual(1.5);
    }
  );

  it('is within 1.2× of the best schedule in the median cell and 2× at p90 with a cold start, on every 7th cell', async () => {
    // Counted from when they were sent, the opening's requests put this sample's p90 at 2.12.
    const runs = await runGrid(whereUsersRunIt().coldStart.filter((_, i) => i % 7 === 0));
    const ratios = runs.map((one) => one.ratio);
    expect(quantile(ratios, 0.5)).toBeLessThanOrEqual(1.2);
    expect(quantile(ratios, 0.9)).toBeLessThanOrEqual(2);
    expect(unverifiedWhereBestFits(runs).map(describeCell)).toEqual([]);
  });

  it('runs a second run on the same clock and limit, with a pace of its own, and counts its keys', async () => {
    // 20 keys each on a bucket of burst 20: alone, the first run meets no 429; the second, from
    // 100 ms, finds the burst spent. Every key of both is checked once at least.
    const shared = cell({ burst: 20, rate: 20, latencyMs: 20, throttleLatencyMs: 20, keys: 20 });
    const alone = await simulate(shared);
    const both = await simulate({ ...shared, secondRun: { keys: 20, startMs: 100 } });
    expect(alone).toMatchObject({ requests: 20, throttled: 0, unverified: 0 });
    expect(both.requests - both.throttled).toBe(40);
    expect(both.throttled).toBeGreaterThan(0);
    expect(both.unverified).toBe(0);
    expect(describeCell({ ...shared, secondRun: { keys: 20, startMs: 100 } })).toMatch(
      /, shared with a second run of 20 keys from 100 ms$/
    );
  });
});
