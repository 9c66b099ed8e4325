// The pace grid for `npm run bench` (which builds this with ncc and runs it): the action's pace
// controller and, for comparison, the AWS SDKs' adaptive retry rate limiter (@smithy/util-retry's
// DefaultRateLimiter, CUBIC), each driven through the same simulation; and the action's pace in the
// cells given as a JSON array in argv[2], to set beside the same cells end to end. Prints one JSON
// object.

import { DefaultRateLimiter } from '@smithy/util-retry';
import { RateGate, type Pace } from '../src/limiter.js';
import { GRID, bestSchedule, describeCell, quantile, runGrid, simulate, type Cell, type Scored } from './pace-sim.js';

/** DefaultRateLimiter on the simulation's clock: its token bucket decides when a request may go. */
class AwsAdaptive implements Pace {
  private readonly limiter = new DefaultRateLimiter();
  private readonly state: {
    enabled: boolean;
    availableTokens: number;
    fillRate: number;
    refillTokenBucket(): void;
    getCurrentTimeInSeconds(): number;
  };

  constructor(private readonly now: () => number) {
    this.state = this.limiter as unknown as AwsAdaptive['state'];
    this.state.getCurrentTimeInSeconds = () => now() / 1000;
    // Its constructor read the real clock: start it over on the simulation's.
    Object.assign(this.limiter, { lastThrottleTime: 0, lastTxRateBucket: 0, lastTimestamp: 0 });
  }

  waitMs(): number {
    if (!this.state.enabled) return 0;
    this.state.refillTokenBucket();
    // Its bucket is refilled in floating point: a token short by a rounding error is a token.
    const missing = 1 - this.state.availableTokens;
    return missing <= 1e-6 ? 0 : (missing / this.state.fillRate) * 1000;
  }

  started(): number {
    if (this.state.enabled) {
      this.state.refillTokenBucket();
      this.state.availableTokens -= 1;
    }
    return this.now();
  }

  passed(): void {
    this.limiter.updateClientSendingRate({});
  }

  throttled(): void {
    this.limiter.updateClientSendingRate({ errorType: 'THROTTLING' });
  }
}

function summary(scored: Scored[]) {
  const worst = (of: (one: Scored) => number) => scored.reduce((a, b) => (of(b) > of(a) ? b : a));
  const stats = (of: (one: Scored) => number) => {
    const values = scored.map(of);
    return { median: quantile(values, 0.5), p90: quantile(values, 0.9), worst: Math.max(...values) };
  };
  return {
    cells: scored.length,
    ratio: { ...stats((one) => one.ratio), worstCell: describeCell(worst((one) => one.ratio)) },
    learnRatio: { ...stats((one) => one.learnRatio), worstCell: describeCell(worst((one) => one.learnRatio)) },
    throttled: stats((one) => one.throttledShare),
    unverifiedCells: scored.filter((one) => one.unverified > 0).length,
    overTenPercent: Object.fromEntries(
      GRID.keys.map((keys) => [keys, scored.filter((one) => one.keys === keys && one.throttledShare > 0.1).length])
    ),
    cellsPerKeys: scored.filter((one) => one.keys === GRID.keys[0]).length,
    byShapeAndRate: GRID.shapes.flatMap((shape) =>
      GRID.rates.map((rate) => {
        const group = scored.filter((one) => one.shape === shape && one.rate === rate);
        return {
          shape,
          rate,
          median: quantile(
            group.map((one) => one.ratio),
            0.5
          ),
          worst: Math.max(...group.map((one) => one.ratio)),
          learnWorst: Math.max(...group.map((one) => one.learnRatio)),
          throttledMedian: quantile(
            group.map((one) => one.throttledShare),
            0.5
          )
        };
      })
    )
  };
}

const gate = (now: () => number, keys: number) => new RateGate(keys, now);
const started = performance.now();
const ours = summary(runGrid(gate));
const aws = summary(runGrid((now) => new AwsAdaptive(now)));
const cells = (JSON.parse(process.argv[2] ?? '[]') as Cell[]).map((cell) => ({
  ...simulate(cell, gate),
  bestMs: bestSchedule(cell),
  name: describeCell(cell)
}));
console.log(JSON.stringify({ ours, aws, cells, ms: performance.now() - started }));
