// A few cells of the pace grid end to end: the bundle as the runner runs it, a batch of keys, the
// emulator enforcing the cell's limit. What does not depend on this machine's speed must agree with
// the simulation of the same cell (script/pace-sim.ts): every key verified, the 429s within bounds.
// `npm run bench` sets each cell's wall time beside the simulation's prediction.

import { expect, it } from '@jest/globals';
import { startEmulator } from '../emulator/fullstory-emulator.mjs';
import { DEADLINE_MS, describeCell, simulate, type Cell } from '../script/pace-sim.js';
import { runAction } from './helpers/run-action.js';
import { KEY, expectVerdict } from './helpers/assertions.js';
import { describeWith } from './helpers/runtimes.js';

// Two windows here, to keep the npm test loop short; `npm run bench` runs four, buckets among them.
const CELLS: Cell[] = [
  {
    shape: 'fixed window',
    burst: 0,
    rate: 20,
    latencyMs: 50,
    throttleLatencyMs: 50,
    retryAfter: 1,
    phaseMs: 370,
    keys: 60
  },
  {
    shape: 'sliding window',
    burst: 0,
    rate: 20,
    latencyMs: 20,
    throttleLatencyMs: 10,
    retryAfter: 2,
    phaseMs: 0,
    keys: 50
  }
];

describeWith({ node24: true }, 'the pace, end to end', () => {
  it.each(CELLS.map((cell) => [describeCell(cell), cell] as const))('%s', async (_name, cell) => {
    const emulator = await startEmulator({
      latencyMs: cell.latencyMs,
      rateLimit: {
        shape: cell.shape,
        burst: cell.burst,
        perSecond: cell.rate,
        retryAfterS: cell.retryAfter === 'limit' ? undefined : cell.retryAfter,
        phaseMs: cell.phaseMs,
        throttleLatencyMs: cell.throttleLatencyMs
      }
    });
    try {
      const names = Array.from({ length: cell.keys }, (_, i) => `FS_KEY_${i}`);
      const env = Object.fromEntries(names.map((name) => [name, KEY.USER]));
      const run = await runAction(
        // The simulation's deadline (DEADLINE_MS): the pace plans by the time left.
        {
          keys: names.map((name) => `${name}: standard`).join('\n'),
          'api-url': emulator.url,
          'timeout-seconds': String(DEADLINE_MS / 1000)
        },
        { env }
      );
      const simulated = await simulate(cell);
      expectVerdict(run, 'match', 0);
      const requests = emulator.requests.length;
      // As the simulation has it: every key verified, and few 429s.
      expect(simulated.unverified).toBe(0);
      expect(requests - emulator.throttled).toBe(cell.keys);
      expect(emulator.throttled).toBeLessThanOrEqual(Math.max(0.1 * requests, 2 * simulated.throttled));
    } finally {
      await emulator.close();
    }
  });
});
