// A clock for code whose only waits are its own timers: time jumps to the next timer whenever
// everything else has settled, so a 30 s backoff schedule runs in milliseconds, in order. The pace
// simulation (pace-sim.ts) runs the real gate, pace and retry loop on it; tests use it too.

import type { Clock } from '../src/clock.js';

export class VirtualClock implements Clock {
  /** `lateMs`: every timer fires that much late, as on a loaded machine. */
  constructor(private readonly lateMs = 0) {}

  private at = 0;
  private seq = 0;
  private timers: { due: number; seq: number; fire: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.at;
  }

  schedule(fire: () => void, ms: number): () => void {
    const timer = { due: this.at + Math.max(0, ms) + this.lateMs, seq: this.seq++, fire, cancelled: false };
    this.timers.push(timer);
    return () => void (timer.cancelled = true);
  }

  /** `work`'s outcome, time advanced timer by timer until it settles. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watched = work.finally(() => (settled = true));
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.at = next.due;
      next.fire();
    }
  }
}
