import { describe, expect, it } from '@jest/globals';
import { Deadline, TimeUp } from '../src/deadline.js';

const never = new Promise<never>(() => undefined);

function clocked(budgetMs: number) {
  let now = 0;
  const deadline = new Deadline(budgetMs, { now: () => now, schedule: () => () => undefined });
  return { deadline, tick: (ms: number) => (now += ms) };
}

describe('Deadline', () => {
  it('counts down from its budget', () => {
    const { deadline, tick } = clocked(1000);
    expect(deadline.remainingMs()).toBe(1000);
    tick(400);
    expect(deadline.remainingMs()).toBe(600);
    expect(deadline.passed).toBe(false);
    tick(700);
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.passed).toBe(true);
    deadline.dispose();
  });

  it('lets work that ends in time resolve or reject as it does', async () => {
    const deadline = new Deadline(1000);
    await expect(deadline.race(Promise.resolve(42))).resolves.toBe(42);
    await expect(deadline.race(Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    deadline.dispose();
  });

  it('rejects with TimeUp when the deadline passes first, even for work that never settles', async () => {
    const deadline = new Deadline(30);
    const started = performance.now();
    await expect(deadline.race(never)).rejects.toBeInstanceOf(TimeUp);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(deadline.signal.aborted).toBe(true);
    await expect(deadline.race(Promise.resolve(1))).rejects.toBeInstanceOf(TimeUp);
  });

  it('sleeps, unless the deadline comes first', async () => {
    const deadline = new Deadline(50);
    await expect(deadline.sleep(5)).resolves.toBeUndefined();
    await expect(deadline.sleep(10_000)).rejects.toBeInstanceOf(TimeUp);
  });

  it('neither a race lost by work that rejects later, nor a deadline passing after work won, is an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const deadline = new Deadline(10);
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 40));
      await expect(deadline.race(late)).rejects.toBeInstanceOf(TimeUp);
      const later = new Deadline(30);
      await expect(later.race(Promise.resolve('won'))).resolves.toBe('won');
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(later.signal.aborted).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
