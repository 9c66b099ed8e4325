import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../src/deadline.js';
import {
  BETA,
  CONCURRENCY,
  CYCLE,
  Gate,
  MIN_RATE,
  PROBE_FLOOR,
  RateGate,
  START_WINDOW,
  type Pace
} from '../src/limiter.js';

/** A gate on a clock the test moves. */
function clocked(keys = 1000) {
  let now = 0;
  const gate = new RateGate(keys, () => now);
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

describe('RateGate', () => {
  it('starts unpaced but with few requests at once, one more per answer (slow start)', () => {
    const { gate } = clocked();
    const sent = Array.from({ length: START_WINDOW }, () => {
      expect(gate.waitMs()).toBe(0);
      return gate.started();
    });
    expect(gate.waitMs()).toBe(Number.POSITIVE_INFINITY);
    gate.passed(sent[0]!);
    // One answer in, one more allowed than before: two more may go now.
    expect(gate.waitMs()).toBe(0);
    gate.started();
    expect(gate.waitMs()).toBe(0);
    gate.started();
    expect(gate.waitMs()).toBe(Number.POSITIVE_INFINITY);
    expect(gate.pace()).toBeUndefined();
  });

  it('at the first 429, paces from what got through in the last second, and sends one at a time until one passes', () => {
    const { gate, tick, request } = clocked();
    for (let i = 0; i < 12; i += 1) request(50);
    tick(10);
    const inFlight = gate.started();
    request(0, true);
    expect(gate.pace()).toBe(12);
    // One request in flight and none may follow it until it is answered.
    expect(gate.waitMs()).toBe(Number.POSITIVE_INFINITY);
    gate.passed(inFlight);
    expect(gate.waitMs()).toBeGreaterThan(0);
    expect(gate.waitMs()).toBeLessThanOrEqual(1000 / 12 + 1e-9);
  });

  it('never probes from less than PROBE_FLOOR', () => {
    const { gate, request } = clocked();
    request(0, true);
    expect(gate.pace()).toBe(PROBE_FLOOR);
  });

  it('takes the 429s of requests already in flight as one signal, and halves the pace at each later 429 while throttled', () => {
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

  it('probing doubles the pace about once a second, and the next 429 brackets the limit', () => {
    const { gate, tick, request, at } = clocked();
    request(0, true);
    tick(1000);
    request(20); // recovered
    const start = gate.pace()!;
    // A second of requests at the pace, each passing: the pace is about twice what it was.
    const from = at();
    while (at() - from < 1000) {
      tick(1000 / gate.pace()! - 20);
      request(20);
    }
    expect(gate.pace()! / start).toBeGreaterThan(1.7);
    expect(gate.pace()! / start).toBeLessThan(2.4);
    const failing = gate.pace()!;
    request(20, true);
    expect(gate.pace()).toBeCloseTo(BETA * 0.75 * failing, 5);
  });

  it('after a later 429, cuts to BETA of the failing pace, and climbs back to it over CYCLE passes', () => {
    const { gate, tick, request } = clocked();
    request(0, true);
    tick(1000);
    request(20);
    request(20, true); // ends probing
    tick(1000);
    request(20);
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

  it('climbs no further than the last failing pace once few keys are left, and stays below it at the very end', () => {
    const { gate, tick, request } = clocked(60);
    request(0, true);
    tick(1000);
    request(20);
    request(20, true);
    tick(1000);
    request(20);
    const failing = gate.pace()!;
    request(20, true);
    tick(1000);
    request(20);
    for (let i = 0; i < 2 * CYCLE; i += 1) request(20);
    // 60 keys: too few for a 429 past the limit to pay, and the last ones are within a Retry-After.
    expect(gate.pace()).toBeLessThanOrEqual(failing);
    expect(gate.pace()).toBeCloseTo(BETA * failing, 5);
  });

  it('after a recovery that needed halving, tries the old pace once more, and falls back to the halved one', () => {
    const { gate, tick, request } = clocked();
    request(0, true);
    tick(1000);
    request(20);
    request(20, true);
    const cut = gate.pace()!;
    tick(1000);
    request(20, true); // halved
    tick(2000);
    request(20); // recovered at the halved pace: the old one is tried again
    expect(gate.pace()).toBeCloseTo(cut, 5);
    request(20, true); // and fails at once: the halved pace is the limit now
    expect(gate.pace()).toBeCloseTo(cut / 2, 5);
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
