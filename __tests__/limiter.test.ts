import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../src/deadline.js';
import { BACKOFF, FAST_GROWTH, MIN_RATE, SLOW_GROWTH, RateGate } from '../src/limiter.js';

async function open(gate: RateGate, budgetMs = 1000): Promise<void> {
  const deadline = new Deadline(budgetMs);
  try {
    await gate.open(deadline);
  } finally {
    deadline.dispose();
  }
}

function clocked() {
  let now = 0;
  const gate = new RateGate(() => now);
  return { gate, tick: (ms: number) => (now += ms) };
}

describe('RateGate', () => {
  it('is open and unpaced until a 429', async () => {
    const { gate } = clocked();
    for (let i = 0; i < 100; i += 1) {
      await open(gate);
      gate.passed();
    }
    expect(gate.waitMs()).toBe(0);
    expect(gate.pace()).toBeUndefined();
  });

  it('holds every request for Retry-After, and a shorter pause never shortens a longer one', () => {
    const { gate, tick } = clocked();
    gate.throttled(1000);
    expect(gate.waitMs()).toBe(1000);
    tick(200);
    gate.throttled(100);
    expect(gate.waitMs()).toBe(800);
    gate.throttled(5000);
    expect(gate.waitMs()).toBe(5000);
  });

  it('first paces at the rate sustained over the window, pause included', () => {
    const { gate, tick } = clocked();
    for (let i = 0; i < 12; i += 1) {
      gate.passed();
      tick(10);
    }
    // 12 requests got through from t=0, then a 1 s pause from t=120: 12 per 1.12 s.
    gate.throttled(1000);
    expect(gate.pace()).toBeCloseTo(12 / 1.12, 5);
  });

  it('takes the 429s of requests already in flight as one signal', () => {
    const { gate, tick } = clocked();
    gate.passed();
    gate.throttled(1000);
    const first = gate.pace()!;
    tick(50);
    gate.throttled(1000);
    gate.throttled(1000);
    expect(gate.pace()).toBe(first);
  });

  it('cuts the pace by BACKOFF at each later 429, then grows quickly below it and slowly near it', () => {
    const { gate, tick } = clocked();
    gate.passed();
    gate.throttled(1000); // 1 request over 1 s: 1 per second
    tick(1000);
    for (let i = 0; i < 10; i += 1) gate.passed();
    const before = gate.pace()!;
    expect(before).toBeCloseTo(FAST_GROWTH ** 10, 5);
    gate.throttled(1000);
    expect(gate.pace()).toBeCloseTo(before * BACKOFF, 5);
    tick(1000);
    gate.passed(); // now at BACKOFF × the pace of the last 429: slow growth
    expect(gate.pace()).toBeCloseTo(before * BACKOFF * SLOW_GROWTH, 5);
  });

  it('spaces requests at the pace', async () => {
    const { gate, tick } = clocked();
    gate.passed();
    gate.throttled(1000);
    tick(1000);
    await open(gate);
    expect(gate.waitMs()).toBeCloseTo(1000 / gate.pace()!, 5);
  });

  it('never paces slower than MIN_RATE', () => {
    const { gate, tick } = clocked();
    gate.throttled(60_000);
    expect(gate.pace()).toBe(MIN_RATE);
    for (let i = 0; i < 10; i += 1) {
      tick(60_000);
      gate.throttled(60_000);
    }
    expect(gate.pace()).toBe(MIN_RATE);
  });

  it('gives up waiting when the caller’s deadline passes', async () => {
    const gate = new RateGate();
    gate.throttled(10_000);
    await expect(open(gate, 20)).rejects.toThrow('the deadline passed');
  });
});
