// A deterministic simulation of a batch against a rate limit, on a virtual clock: the batch runs as
// the gate runs it (at most CONCURRENCY requests in flight, each when the shared pace controller
// allows, a 429 retried after its Retry-After, at most MAX_ATTEMPTS requests per key), against
// a limiter of one of three shapes. It compares the batch with the best schedule, which knows the
// limit. `npm test` runs the grid (__tests__/pace.test.ts) and `npm run bench` prints it.

import { createLimit } from '../emulator/fullstory-emulator.mjs';
import { CONCURRENCY, type Pace } from '../src/limiter.js';

export type Shape = 'token bucket' | 'fixed window' | 'sliding window';

export interface Cell {
  shape: Shape;
  /** Requests at once (token bucket only: the windows allow `rate` in each second). */
  burst: number;
  /** Requests per second. */
  rate: number;
  /** How long a request that passes takes. */
  latencyMs: number;
  /** How long a 429 takes: an edge limiter answers at once, the service takes as long as a pass. */
  throttleLatencyMs: number;
  retryAfterS: number;
  keys: number;
}

export interface Outcome {
  ms: number;
  requests: number;
  throttled: number;
  unverified: number;
}

/** The cell's limit, as the emulator enforces it. */
function limiter({ shape, burst, rate }: Cell) {
  return createLimit({ shape, burst, perSecond: rate });
}

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
  return end;
}

/** A binary heap of events by time, then by the order they were scheduled: deterministic. */
class Events {
  private heap: { at: number; seq: number; run: () => void }[] = [];
  private seq = 0;
  now = 0;

  at(at: number, run: () => void): void {
    const item = { at, seq: this.seq++, run };
    const heap = this.heap;
    heap.push(item);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Runs every event in order; a controller that never lets the batch end is an error, not a hang. */
  run(limit = 5_000_000): void {
    const heap = this.heap;
    for (let ran = 0; heap.length > 0; ran += 1) {
      if (ran > limit) throw new Error(`the simulation did not end after ${limit} events`);
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && this.before(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && this.before(heap[r]!, heap[m]!)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      }
      this.now = top.at;
      top.run();
    }
  }

  private before(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

/** Requests per key that are not 429s; a 429 is retried until the deadline (none here). */
export const MAX_ATTEMPTS = 3;

/**
 * One batch against the cell's limit, paced by a controller that `makePace` makes on the virtual
 * clock. As the gate does it: every key queues for a request; one goes when fewer than CONCURRENCY
 * are in flight and the pace allows; a key throttled with a 429 comes back after its Retry-After,
 * at the head of the queue.
 */
export function simulate(cell: Cell, makePace: MakePace, maxAttempts = MAX_ATTEMPTS): Outcome {
  const events = new Events();
  const now = () => events.now;
  const pace = makePace(now, cell.keys);
  const limit = limiter(cell);
  const outcome: Outcome = { ms: 0, requests: 0, throttled: 0, unverified: 0 };
  /** Keys waiting for a request, by their attempt number. */
  const queue: number[] = Array.from({ length: cell.keys }, () => 1);
  let inFlight = 0;
  let pumpAt = Number.POSITIVE_INFINITY;

  const pump = () => {
    while (queue.length > 0 && inFlight < CONCURRENCY) {
      const wait = pace.waitMs();
      // An infinite wait is for an answer: the next one pumps again.
      if (wait === Number.POSITIVE_INFINITY) return;
      if (wait > 0) {
        // A wait shorter than the clock can tell would spin: at least a microsecond.
        if (now() + Math.max(wait, 0.001) < pumpAt) {
          pumpAt = now() + Math.max(wait, 0.001);
          events.at(pumpAt, () => {
            pumpAt = Number.POSITIVE_INFINITY;
            pump();
          });
        }
        return;
      }
      send(queue.shift()!);
    }
  };
  const send = (attempt: number) => {
    const sent = pace.started();
    inFlight += 1;
    outcome.requests += 1;
    if (limit.admit(now())) {
      events.at(now() + cell.latencyMs, () => {
        inFlight -= 1;
        pace.passed(sent);
        outcome.ms = Math.max(outcome.ms, now());
        pump();
      });
      return;
    }
    outcome.throttled += 1;
    events.at(now() + cell.throttleLatencyMs, () => {
      inFlight -= 1;
      const retryAfterMs = cell.retryAfterS * 1000;
      pace.throttled(retryAfterMs, sent);
      void maxAttempts; // a 429 is not an attempt: the key waits its Retry-After and goes again
      events.at(now() + retryAfterMs, () => {
        queue.unshift(attempt);
        pump();
      });
      pump();
    });
  };
  events.at(0, pump);
  events.run();
  return outcome;
}

export const GRID = {
  shapes: ['token bucket', 'fixed window', 'sliding window'] as Shape[],
  bursts: [1, 5, 20, 100],
  rates: [1, 5, 20, 50],
  latenciesMs: [20, 100, 300],
  /** Of the latency of a pass. */
  throttleLatencies: [0, 0.5, 1],
  retryAfterS: [1, 3, 5],
  keys: [10, 50, 200, 500]
};

/** Every cell of the grid; the windows take no burst, so they have one cell where a bucket has four. */
export function gridCells(grid = GRID): Cell[] {
  const cells: Cell[] = [];
  for (const shape of grid.shapes) {
    for (const burst of shape === 'token bucket' ? grid.bursts : [0]) {
      for (const rate of grid.rates) {
        for (const latencyMs of grid.latenciesMs) {
          for (const share of grid.throttleLatencies) {
            for (const retryAfterS of grid.retryAfterS) {
              for (const keys of grid.keys) {
                cells.push({ shape, burst, rate, latencyMs, throttleLatencyMs: latencyMs * share, retryAfterS, keys });
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
 * The best a client can do that learns the limit from 429s, as Fullstory's clients must (it
 * publishes no numbers): where the limit binds at all, such a client meets a 429 at least once, and
 * the key that got it cannot pass before its Retry-After and another round trip. Where the limit
 * never binds (the burst covers the batch), the best schedule itself.
 */
export function learningBound(cell: Cell): number {
  const best = bestSchedule(cell);
  const unlimited = Math.ceil(cell.keys / CONCURRENCY) * cell.latencyMs;
  if (best <= unlimited + 1e-6) return best;
  return Math.max(best, cell.throttleLatencyMs + cell.retryAfterS * 1000 + cell.latencyMs);
}

export interface Scored extends Cell, Outcome {
  bestMs: number;
  /** The batch's time over the best schedule's. */
  ratio: number;
  /** The batch's time over the learning bound's. */
  learnRatio: number;
  /** 429s over all requests. */
  throttledShare: number;
}

/** A controller on the simulation's clock, for a batch of `keys`. */
export type MakePace = (now: () => number, keys: number) => Pace;

export function runGrid(makePace: MakePace, cells = gridCells()): Scored[] {
  return cells.map((cell) => {
    const outcome = simulate(cell, makePace);
    const bestMs = bestSchedule(cell);
    return {
      ...cell,
      ...outcome,
      bestMs,
      ratio: outcome.ms / bestMs,
      learnRatio: outcome.ms / learningBound(cell),
      throttledShare: outcome.throttled / outcome.requests
    };
  });
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function describeCell(cell: Cell): string {
  const limit = cell.shape === 'token bucket' ? `burst ${cell.burst}, ${cell.rate}/s` : `${cell.rate}/s`;
  return `${cell.keys} keys, ${cell.shape} ${limit}, latency ${cell.latencyMs} ms (429: ${cell.throttleLatencyMs} ms), Retry-After ${cell.retryAfterS} s`;
}
