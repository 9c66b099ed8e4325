// The run's time, as one seam: the deadline, the rate-limit gate and every wait read and schedule
// through a Clock, so that a simulation (script/pace-sim.ts) or a test can run the real code on a
// virtual clock, and the action and the CLI run it on the real one.

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Calls `fire` after `ms`; what it returns cancels it. */
  schedule(fire: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  schedule(fire, ms) {
    // Not unref'd, on purpose: a deadline's timer is what keeps the process alive until a verdict
    // is written, whatever a socket does (deadline.ts).
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  }
};
