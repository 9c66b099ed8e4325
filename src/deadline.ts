// The run's one clock. A Deadline is made once, where a run starts (the action's main, the CLI),
// handed down, and raced against everything the run waits for: the request, a proxy's CONNECT, the
// body, the rate-limit gate, backoff sleeps. Whatever the network does, the run then reaches its
// verdict by the deadline; what a lost race leaves behind (a socket no signal reaches) is ended with
// the process, by exitWhenFlushed.

import { realClock, type Clock } from './clock.js';

/** Why an await was abandoned: the deadline passed first. */
export class TimeUp extends Error {
  constructor() {
    super('the deadline passed');
    this.name = 'TimeUp';
  }
}

export class Deadline {
  private readonly controller = new AbortController();
  private readonly endsAt: number;
  private readonly cancel: () => void;

  constructor(
    readonly budgetMs: number,
    readonly clock: Clock = realClock
  ) {
    this.endsAt = clock.now() + budgetMs;
    // The real clock's timer is not unref'd, on purpose: an await that never settles (a 101 answer,
    // a stalled proxy) would otherwise let Node end the process quietly, before any verdict is written.
    this.cancel = clock.schedule(() => this.controller.abort(new TimeUp()), budgetMs);
  }

  /** Aborts when the deadline passes: for APIs that take a signal (requests, timers). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get passed(): boolean {
    return this.signal.aborted || this.remainingMs() <= 0;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.clock.now());
  }

  /** `work`'s outcome, or a TimeUp rejection the moment the deadline passes, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason as Error);
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
      // A lost race's later rejection is handled here, so it never surfaces as an unhandled one.
      work.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }

  /** Waits `ms`, or rejects with TimeUp if the deadline comes first. */
  async sleep(ms: number): Promise<void> {
    let cancel = () => undefined as void;
    try {
      await this.race(new Promise<void>((resolve) => (cancel = this.clock.schedule(resolve, ms))));
    } finally {
      cancel();
    }
  }

  /** The run is over: its timer need not keep the process alive any longer. */
  dispose(): void {
    this.cancel();
  }
}

/**
 * Ends the process with process.exitCode once everything written to stdout and stderr has been
 * handed to the OS. A lost race can leave a socket behind that no signal reaches (a proxy that never
 * answered CONNECT): without this, it would hold the step open long after its verdict.
 */
export async function exitWhenFlushed(): Promise<never> {
  // A stream that cannot be written (a full disk, a closed pipe) has nothing left to flush.
  const flushed = (stream: NodeJS.WriteStream) =>
    new Promise<void>((done) => {
      try {
        stream.write('', () => done());
      } catch {
        done();
      }
    });
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}
