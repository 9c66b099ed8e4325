// A deterministic simulation of a batch against a rate limit: the real check (src/check.ts: its
// Gate, the RateGate pace and fetchMe's 429 loop, under the run's Deadline) on a virtual clock
// (virtual-clock.ts), with a simulated server in place of the HTTP client. Nothing here copies
// their logic. The server enforces a limit of one of three shapes (the emulator's createLimit),
// with seeded latency jitter, and answers 429 with a Retry-After that is a constant or derived from
// the limit. The run's deadline is timeout-seconds' default, 30 s: keys not verified by then count.
// The yardstick: the best schedule per cell (a client that knows the limit), and per group of cells
// that look alike until the first 429 a floor no learning client can beat (see floorOf).

import fc from 'fast-check';
import { createLimit } from '../emulator/fullstory-emulator.mjs';
import { checkKeys } from '../src/check.js';
import { Deadline, TimeUp } from '../src/deadline.js';
import type { Answer, MeRequest } from '../src/fullstory.js';
import type { Settings } from '../src/inputs.js';
import { CONCURRENCY, START_WINDOW, type Pace } from '../src/limiter.js';
import { VirtualClock } from './virtual-clock.js';

export type Shape = 'token bucket' | 'fixed window' | 'sliding window';

export interface Cell {
  shape: Shape;
  /** Requests at once (token bucket only: the windows allow `rate` in each second). */
  burst: number;
  /** Requests per second. */
  rate: number;
  /** How long a request that passes takes, on average. */
  latencyMs: number;
  /** How long a 429 takes: on the grid, half a pass or as long (offGridLimits: a twentieth to three times). */
  throttleLatencyMs: number;
  /** Retry-After in whole seconds, or 'limit': when the limit lets one through again. */
  retryAfter: number | 'limit';
  /** Where in its first second a fixed window starts (0 for the others). */
  phaseMs: number;
  keys: number;
  /** Off the grid: windows count refused requests too (createLimit's countsRefused). */
  countsRefused?: boolean;
  /** Off the grid: a second run of the action, with a pace of its own, spends the same limit from `startMs`. */
  secondRun?: { keys: number; startMs: number };
  /** Off the grid: a loaded runner, where every timer fires this many milliseconds late. */
  lateTimersMs?: number;
  /**
   * Off the grid: the run's first round reaches the server, and comes back, this much later than it
   * was sent (a cold start: a DNS lookup, the process's first TLS handshake); later requests arrive
   * as they are sent.
   */
  coldStartMs?: number;
}

export interface Outcome {
  ms: number;
  requests: number;
  throttled: number;
  /**
   * Of those, the 429s of requests sent before any 429 had come back (to either run, where two
   * share the limit): what a client sends until then it sends alike where the key has no limit, so
   * these are its opening's price, not what the pace learned afterwards.
   */
  openingThrottled: number;
  /** Keys not verified within the deadline. */
  unverified: number;
}

/** timeout-seconds' default: the whole batch's budget. */
export const DEADLINE_MS = 30_000;
/** Latency varies by up to this share either way (seeded, so every run of a cell is the same). */
export const JITTER = 0.2;

const limiter = ({ shape, burst, rate, phaseMs, countsRefused }: Cell) =>
  createLimit({ shape, burst, perSecond: rate, phaseMs, countsRefused });

/** The batch's time if it knew the limit: each request at the first moment a slot and the limit allow. */
export function bestSchedule(cell: Cell): number {
  const limit = limiter(cell);
  const free = Array.from({ length: CONCURRENCY }, () => 0);
  let end = 0;
  for (let i = 0; i < cell.keys; i += 1) {
    free.sort((a, b) => a - b);
    const at = limit.next(free[0]!);
    if (!limit.admit(at)) throw new Error(`the best schedule's request at ${at} ms was refused`);
    free[0] = at + cell.latencyMs;
    end = Math.max(end, free[0]);
  }
  // A client that knew the limit pays a cold start too (within that much of this either way: it could
  // wait it out and send the same schedule later, or send others meanwhile).
  return end + (cell.coldStartMs ?? 0);
}

/** A small seeded generator (mulberry32): the same cell jitters the same way every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedOf = (cell: Cell) =>
  [...describeCell(cell)].reduce((hash, c) => Math.imul(hash ^ c.charCodeAt(0), 16777619), 2166136261);

/** A pace for a run of `keys`, on the simulation's clock, with what is left of the run's deadline. */
export type MakePace = (now: () => number, keys: number, remainingMs: () => number) => Pace;

/** One batch against the cell's limit, through the real check on a virtual clock. */
export async function simulate(cell: Cell, makePace?: MakePace): Promise<Outcome> {
  const clock = new VirtualClock(cell.lateTimersMs);
  const limit = limiter(cell);
  const jitter = random(seedOf(cell));
  const outcome: Outcome = { ms: 0, requests: 0, throttled: 0, openingThrottled: 0, unverified: 0 };
  /** When each refused request went, and when the first 429 came back. */
  const refusedAt: number[] = [];
  let firstThrottleBackAt = Number.POSITIVE_INFINITY;
  const send = (_request: MeRequest, deadline: Deadline): Promise<Answer> => {
    outcome.requests += 1;
    const sentAt = clock.now();
    const cold = outcome.requests <= START_WINDOW ? (cell.coldStartMs ?? 0) : 0;
    const answer = new Promise<Answer>((resolve) => {
      // The limit counts the request when it arrives: as it is sent, or a cold start later.
      const arrive = () => {
        const at = clock.now();
        if (limit.admit(at)) {
          const latency = cell.latencyMs * (1 + JITTER * (2 * jitter() - 1));
          clock.schedule(() => {
            outcome.ms = Math.max(outcome.ms, clock.now());
            resolve({ kind: 'answered', me: { role: 'USER', orgId: 'o-1', email: '' } });
          }, latency);
          return;
        }
        outcome.throttled += 1;
        refusedAt.push(sentAt);
        const seconds = cell.retryAfter === 'limit' ? Math.max(1, Math.ceil(limit.wait(at) / 1000)) : cell.retryAfter;
        clock.schedule(() => {
          firstThrottleBackAt = Math.min(firstThrottleBackAt, clock.now());
          resolve({ kind: 'retry', reason: [], rateLimited: true, retryAfterMs: seconds * 1000 });
        }, cell.throttleLatencyMs);
      };
      if (cold > 0) clock.schedule(arrive, cold);
      else arrive();
    });
    return deadline.race(answer).catch((error: unknown) => {
      throw error instanceof TimeUp ? error : new TimeUp();
    });
  };
  const settings = (keys: number): Settings => ({
    keys: Array.from({ length: keys }, (_, i) => ({
      name: `K${i}`,
      apiKey: `na1.simulated${i}`,
      expectedLevel: 'standard',
      expectedOrgId: ''
    })),
    batch: true,
    match: 'exact',
    failOnMismatch: true,
    meUrl: new URL('https://api.fullstory.test/me'),
    timeoutMs: DEADLINE_MS,
    maxAttempts: 3,
    alertIssue: false,
    checkName: '',
    githubToken: ''
  });
  /** A run of the action: its own deadline and pace, from now on. */
  const run = async (keys: number) => {
    const deadline = new Deadline(DEADLINE_MS, clock);
    const checked = await checkKeys(
      settings(keys),
      deadline,
      send,
      makePace?.(
        () => clock.now(),
        keys,
        () => deadline.remainingMs()
      )
    );
    deadline.dispose();
    return checked;
  };
  const { secondRun } = cell;
  const runs = [run(cell.keys)];
  if (secondRun)
    runs.push(new Promise((started) => clock.schedule(() => started(run(secondRun.keys)), secondRun.startMs)));
  const checked = (await clock.run(Promise.all(runs))).flat();
  outcome.openingThrottled = refusedAt.filter((at) => at < firstThrottleBackAt).length;
  outcome.unverified = checked.filter(({ verdict }) => verdict.result !== 'match').length;
  const lastDeadline = DEADLINE_MS + (secondRun?.startMs ?? 0);
  if (outcome.unverified > 0) outcome.ms = Math.max(outcome.ms, Math.min(clock.now(), lastDeadline));
  return outcome;
}

export const GRID = {
  shapes: ['token bucket', 'fixed window', 'sliding window'] as Shape[],
  bursts: [1, 5, 20, 100],
  rates: [1, 5, 20, 50],
  latenciesMs: [20, 100, 300],
  /** Of the latency of a pass: a 429 is no faster than a round trip, half a pass's time. */
  throttleLatencies: [0.5, 1],
  retryAfters: [1, 5, 'limit'] as (number | 'limit')[],
  /** Fixed windows only. */
  phasesMs: [0, 370, 700, 950],
  keys: [10, 50, 200, 500]
};

/** Every cell of the grid; the windows take no burst, and only fixed windows a phase. */
export function gridCells(grid = GRID): Cell[] {
  const cells: Cell[] = [];
  for (const shape of grid.shapes) {
    for (const burst of shape === 'token bucket' ? grid.bursts : [0]) {
      for (const phaseMs of shape === 'fixed window' ? grid.phasesMs : [0]) {
        for (const rate of grid.rates) {
          for (const latencyMs of grid.latenciesMs) {
            for (const share of grid.throttleLatencies) {
              for (const retryAfter of grid.retryAfters) {
                for (const keys of grid.keys) {
                  cells.push({
                    shape,
                    burst,
                    rate,
                    latencyMs,
                    throttleLatencyMs: latencyMs * share,
                    retryAfter,
                    phaseMs,
                    keys
                  });
                }
              }
            }
          }
        }
      }
    }
  }
  return cells;
}

/**
 * The moments that the second run of the shared and joining sets starts at, for each limit: the
 * set's own start (a second in, or halfway through the first run's best schedule) and every 62.5 ms
 * after it, each with the jitter its description seeds. From its own start alone, a set measured
 * that start more than the pace: a second run starting exactly a second in left 30 of the shared
 * set's 120 limits short, one starting 250 ms later 12; and paces that no limit can tell apart (the
 * probe doubling every 194 to 206 ms instead of 200) left 2 to 17 of the joining set's short. Over
 * 16 starts, such paces (194 to 206 ms) leave 240 to 261 of the shared set's 1,920 runs short and 85
 * to 118 of the joining set's (pace-experiments.md). Where the second run starts later, its
 * yardstick (bestForAllRuns) is later too, so fewer runs of the joining set fit with 20% to spare:
 * the figures count runs lost of those that fit.
 */
export const SECOND_RUN_STARTS = 16;

/** Where the joining set's second run starts: when the first run's best schedule is half done (to 100 ms), a second in at the soonest. */
export const halfwayStartMs = (cell: Cell): number => Math.max(1000, Math.round(bestSchedule(cell) / 200) * 100);

/** A second run of as many keys as the first beside each cell, from `startMs` and the moments after it. */
const startsAcrossASecond = (cells: Cell[], startMs: (cell: Cell) => number): Cell[] =>
  Array.from({ length: SECOND_RUN_STARTS }, (_, i) =>
    cells.map((cell) => ({
      ...cell,
      secondRun: { keys: cell.keys, startMs: startMs(cell) + Math.round((i * 1000) / SECOND_RUN_STARTS) }
    }))
  ).flat();

/**
 * The cold start of the grid's cells in whereUsersRunIt, as end to end here: a run's seventh request
 * reached the emulator 992 ms after its first, where the pace sends it no sooner than 1,001 ms after
 * the first was sent, so the first arrived 9 ms or more later, against it, than it was sent.
 */
export const COLD_START_MS = 9;

/**
 * Off the grid, where users run the action: windows that count refused requests too; a limit that
 * a second run of the action (a matrix job, a scheduled check beside a deploy gate) starts spending
 * a second in, with as many keys, or joins halfway through the first run (each at
 * SECOND_RUN_STARTS moments across a second); and every cell of the grid with a cold start.
 */
export function whereUsersRunIt(): { countsRefused: Cell[]; shared: Cell[]; joining: Cell[]; coldStart: Cell[] } {
  const windows = gridCells({ ...GRID, shapes: ['fixed window', 'sliding window'], rates: [5, 20], keys: [50, 200] });
  const shared = gridCells({
    ...GRID,
    bursts: [5, 20],
    rates: [5, 20, 50],
    latenciesMs: [20, 100],
    throttleLatencies: [1],
    retryAfters: [1, 'limit'],
    phasesMs: [0, 700],
    keys: [50, 200]
  });
  return {
    countsRefused: windows.map((cell) => ({ ...cell, countsRefused: true })),
    shared: startsAcrossASecond(shared, () => 1000),
    joining: startsAcrossASecond(shared, halfwayStartMs),
    coldStart: gridCells().map((cell) => ({ ...cell, coldStartMs: COLD_START_MS }))
  };
}

/**
 * Off the grid, a run alone on a limit the grid does not hold: seeded random cells (bursts of 2 or 3,
 * 2, 3 or 60 requests a second, a fixed window turning at any millisecond, 429s twenty times faster
 * than a pass or three times slower, answers of up to 900 ms). Fullstory publishes no limit: a pace
 * that meets a target only on the grid's four rates has learned the grid, not the limit. The draw is
 * fast-check's (its seeded sampler): another version of fast-check may draw other cells, and move
 * the figures `npm run pace` holds for this set without any change to the pace.
 */
export function offGridLimits(count = 3000, seed = 1): Cell[] {
  const cell = fc
    .record({
      shape: fc.constantFrom<Shape>('token bucket', 'fixed window', 'sliding window'),
      burst: fc.constantFrom(1, 2, 3, 5, 10, 20, 50, 100),
      rate: fc.constantFrom(1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40, 50, 60),
      latencyMs: fc.constantFrom(10, 20, 50, 100, 200, 300, 500, 900),
      throttleShare: fc.constantFrom(0.05, 0.2, 0.5, 1, 1.5, 3),
      retryAfter: fc.constantFrom<number | 'limit'>(1, 2, 5, 'limit'),
      phaseMs: fc.integer({ min: 0, max: 999 }),
      keys: fc.constantFrom(10, 25, 50, 100, 200, 500)
    })
    .map(({ throttleShare, ...one }) => ({
      ...one,
      burst: one.shape === 'token bucket' ? one.burst : 0,
      phaseMs: one.shape === 'fixed window' ? one.phaseMs : 0,
      throttleLatencyMs: Math.max(1, Math.round(one.latencyMs * throttleShare))
    }));
  return fc.sample(cell, { seed, numRuns: count });
}

/** The best schedule for every run of the cell: the second's keys too, from its start (an upper bound). */
export const bestForAllRuns = (cell: Cell) =>
  cell.secondRun === undefined
    ? bestSchedule(cell)
    : bestSchedule({ ...cell, keys: cell.keys + cell.secondRun.keys }) + cell.secondRun.startMs;

/** Cells that look alike to a client until its first 429: the same keys, latencies and Retry-After. */
export const groupOf = (cell: Cell) =>
  `${cell.keys} keys, latency ${cell.latencyMs} ms (429: ${cell.throttleLatencyMs} ms), Retry-After ${cell.retryAfter}`;

/**
 * The least a client needs in `cell` once it exceeds the cell's envelope: a 429, its Retry-After
 * (at least 1 s where it is derived from the limit), and a round trip; never less than the best.
 */
export function costOf(cell: Cell, best: number): number {
  const retryAfterMs = (cell.retryAfter === 'limit' ? 1 : cell.retryAfter) * 1000;
  return Math.max(best, cell.throttleLatencyMs + retryAfterMs + cell.latencyMs);
}

/**
 * A group's floor: no client that learns the limit from 429s can guarantee a better worst ratio
 * to the best schedule over the group. Until its first 429 it cannot tell a cell from the group's
 * most permissive one (P, a bucket of burst 100 at 50/s): in each cell c it either goes as fast
 * as P allows, and pays cost(c) where c's envelope is smaller, or holds back to c's pace, and pays
 * best(c) / best(P) in P. So floor = max over c of min(best(c) / best(P), cost(c) / best(c)).
 */
export function floorOf(group: readonly { cell: Cell; bestMs: number }[]): number {
  const permissive = bestSchedule({ ...group[0]!.cell, shape: 'token bucket', burst: 100, rate: 50, phaseMs: 0 });
  return Math.max(...group.map(({ cell, bestMs }) => Math.min(bestMs / permissive, costOf(cell, bestMs) / bestMs)));
}

export interface Scored extends Cell, Outcome {
  bestMs: number;
  /** The batch's time over the best schedule's. */
  ratio: number;
  /** 429s over all requests. */
  throttledShare: number;
}

export async function runGrid(cells = gridCells(), makePace?: MakePace): Promise<Scored[]> {
  const scored: Scored[] = [];
  for (const cell of cells) {
    const outcome = await simulate(cell, makePace);
    const bestMs = bestForAllRuns(cell);
    scored.push({
      ...cell,
      ...outcome,
      bestMs,
      ratio: outcome.ms / bestMs,
      throttledShare: throttledShareOf(outcome.throttled, outcome.requests)
    });
  }
  return scored;
}

/** 429s over all requests (none sent, none refused). */
export const throttledShareOf = (throttled: number, requests: number): number =>
  requests === 0 ? 0 : throttled / requests;

/** Issue 20's 429 targets, cell by cell: over 10% of requests in a batch of 50 keys or more, and over 2 in one of 10. */
export const over10PercentOf50Plus = (one: Scored): boolean => one.keys >= 50 && one.throttledShare > 0.1;
export const tenKeysOver2 = (one: Scored): boolean => one.keys === 10 && one.throttled > 2;

/** The best schedule (of both runs, where two share the limit) fits in the deadline with 20% to spare. */
export const bestFits = (one: Scored): boolean => one.bestMs <= 0.8 * DEADLINE_MS;

/** The cells that left keys unverified where the best schedule fits in the deadline with 20% to spare. */
export const unverifiedWhereBestFits = (scored: readonly Scored[]): Scored[] =>
  scored.filter((one) => one.unverified > 0 && bestFits(one));

/** Each group's floor beside the worst ratio the pace reached in it. */
export function groups(
  scored: readonly Scored[]
): { group: string; floor: number; worst: number; worstCell: string }[] {
  const byGroup = new Map<string, Scored[]>();
  for (const one of scored) byGroup.set(groupOf(one), [...(byGroup.get(groupOf(one)) ?? []), one]);
  return [...byGroup].map(([group, members]) => {
    const worst = members.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    return {
      group,
      floor: floorOf(members.map((one) => ({ cell: one, bestMs: one.bestMs }))),
      worst: worst.ratio,
      worstCell: describeCell(worst)
    };
  });
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function describeCell(cell: Cell): string {
  const limit =
    cell.shape === 'token bucket'
      ? `burst ${cell.burst}, ${cell.rate}/s`
      : cell.shape === 'fixed window'
        ? `${cell.rate}/s from ${cell.phaseMs} ms`
        : `${cell.rate}/s`;
  const retryAfter = cell.retryAfter === 'limit' ? 'Retry-After from the limit' : `Retry-After ${cell.retryAfter} s`;
  const counting = cell.countsRefused === true ? ' (counting refused requests)' : '';
  const second =
    cell.secondRun === undefined
      ? ''
      : `, shared with a second run of ${cell.secondRun.keys} keys from ${cell.secondRun.startMs} ms`;
  const late = cell.lateTimersMs === undefined ? '' : `, timers ${cell.lateTimersMs} ms late`;
  const cold = cell.coldStartMs === undefined ? '' : `, a cold start of ${cell.coldStartMs} ms`;
  return `${cell.keys} keys, ${cell.shape} ${limit}${counting}, latency ${cell.latencyMs} ms (429: ${cell.throttleLatencyMs} ms), ${retryAfter}${second}${late}${cold}`;
}
