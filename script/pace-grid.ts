// The pace grid for `npm run bench` (which builds this with ncc and runs it): the real check over
// every cell of script/pace-sim.ts's grid, scored against the best schedule and each group's floor,
// with issue 20's targets; and the cells given as a JSON array in argv[2], to set beside the same
// cells end to end. Prints one JSON object.

import {
  GRID,
  JITTER,
  describeCell,
  gridCells,
  groupOf,
  groups,
  offGridLimits,
  over10PercentOf50Plus,
  quantile,
  runGrid,
  simulate,
  tenKeysOver2,
  throttledShareOf,
  bestSchedule,
  costOf,
  unverifiedWhereBestFits,
  bestFits,
  whereUsersRunIt,
  SECOND_RUN_STARTS,
  COLD_START_MS,
  type Cell,
  type Scored
} from './pace-sim.js';

/**
 * Why no client meets "every group within 1.5× of its floor", in one group: three of its cells
 * that look alike until a 429, where a 429 costs more than the target allows in two of them.
 */
function groupArgument(byGroup: ReturnType<typeof groups>) {
  const base = { latencyMs: 20, throttleLatencyMs: 20, retryAfter: 5, keys: 10, phaseMs: 0, burst: 0 } as const;
  const permissive: Cell = { ...base, shape: 'token bucket', burst: 100, rate: 50 };
  const bucket: Cell = { ...base, shape: 'token bucket', burst: 1, rate: 50 };
  const window: Cell = { ...base, shape: 'fixed window', rate: 5, phaseMs: 950 };
  // Without a 429 in the bucket, one request each 20 ms: 3 before the window turns at 50 ms; without
  // one in the window, 5 more until it turns again at 1,050 ms. The 9th key goes then, in all three.
  const ninthAtMs = 1000 + (1000 - window.phaseMs);
  const lastEndsMs = ninthAtMs + base.latencyMs * (1 - JITTER);
  const cells = [permissive, bucket, window].map((cell) => ({ name: describeCell(cell), bestMs: bestSchedule(cell) }));
  const { group, floor } = byGroup.find(({ group }) => group === groupOf(permissive))!;
  return {
    group,
    floor,
    allowed: 1.5 * floor,
    cells,
    retryAfterMs: base.retryAfter * 1000,
    ninthAtMs,
    permissiveRatio: lastEndsMs / cells[0]!.bestMs
  };
}

/**
 * What "worst ≤ 2× for 200 keys or more" asks of a client: in the grid's most permissive cell of
 * 200 keys a single 429 already takes its key past 2× the best schedule, so a client that meets the
 * target meets no 429 there, and never sends faster than that cell's limit allows before its first
 * 429. Where a key has no limit at all nothing is refused, so the answers are alike, and it goes
 * no faster there either.
 */
async function bigArgument() {
  const permissive: Cell = {
    shape: 'token bucket',
    burst: 100,
    rate: 50,
    latencyMs: 20,
    throttleLatencyMs: 10,
    retryAfter: 5,
    phaseMs: 0,
    keys: 200
  };
  const bestMs = bestSchedule(permissive);
  const unlimited: Cell = { ...permissive, burst: permissive.keys, rate: 1e9 };
  const unlimitedBestMs = bestSchedule(unlimited);
  return {
    permissive: describeCell(permissive),
    bestMs,
    oneThrottleRatio: costOf(permissive, bestMs) / bestMs,
    unlimitedBestMs,
    unlimitedRatio: bestMs / unlimitedBestMs,
    /** This controller, where nothing is refused. */
    unlimitedPaceRatio: (await simulate(unlimited)).ms / unlimitedBestMs
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const scored = await runGrid(gridCells());
  const ratios = scored.map((one) => one.ratio);
  const big = scored.filter((one) => one.keys >= 200);
  const bigOver2 = big.filter((one) => one.ratio > 2);
  // The target with one 429's cost allowed where that is more than 2×: the best, plus the least a
  // client pays once it exceeds the cell's envelope (its Retry-After and a round trip).
  const bigOverOne429 = big.filter((one) => one.ms > one.bestMs + costOf(one, one.bestMs));
  const over10Percent = scored.filter(over10PercentOf50Plus);
  const worstOf = (cells: typeof scored) => cells.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const byGroup = groups(scored);
  const overFloor = byGroup.filter((group) => group.worst > 1.5 * group.floor);
  /** Issue 20's two 429 targets over a set of cells: how many are over, of how many they apply to. */
  const throttleCounts = (runs: typeof scored) => ({
    cellsOver10PercentOf50Plus: runs.filter(over10PercentOf50Plus).length,
    cellsOf50Plus: runs.filter((one) => one.keys >= 50).length,
    tenKeyCellsOver2: runs.filter(tenKeysOver2).length,
    tenKeyCells: runs.filter((one) => one.keys === 10).length
  });
  // Where the 429s over the targets come from: the opening, sent before any 429 came back and so
  // alike where a key has no limit, or what the pace spends learning afterwards.
  const counting = (runs: typeof scored, throttledOf: (one: Scored) => number) =>
    runs.map((one) => ({
      ...one,
      throttled: throttledOf(one),
      throttledShare: throttledShareOf(throttledOf(one), one.requests)
    }));
  const opening = (runs: typeof scored) => {
    const alone = counting(runs, (one) => one.openingThrottled);
    const after = counting(runs, (one) => one.throttled - one.openingThrottled);
    return {
      cellsOver10PercentOnOpeningAlone: alone.filter(over10PercentOf50Plus).length,
      cellsOver10PercentAfterOpening: after.filter(over10PercentOf50Plus).length,
      tenKeyCellsOver2OnOpeningAlone: alone.filter(tenKeysOver2).length,
      tenKeyCellsOver2AfterOpening: after.filter(tenKeysOver2).length
    };
  };
  const offGrid = async (cells: Cell[]) => {
    const runs = await runGrid(cells);
    const lost = unverifiedWhereBestFits(runs);
    const ratios = runs.map((one) => one.ratio);
    return {
      cells: runs.length,
      median: quantile(ratios, 0.5),
      p90: quantile(ratios, 0.9),
      fit: runs.filter(bestFits).length,
      lostWhereAllFit: lost.length,
      worstLost: lost.length === 0 ? null : describeCell(lost.reduce((a, b) => (b.unverified > a.unverified ? b : a))),
      ...throttleCounts(runs),
      ...opening(runs)
    };
  };
  const users = whereUsersRunIt();
  const cells = (JSON.parse(process.argv[2] ?? '[]') as Cell[]).map(async (cell) => ({
    ...(await simulate(cell)),
    bestMs: bestSchedule(cell),
    name: describeCell(cell)
  }));
  process.stdout.write(
    JSON.stringify({
      cells: scored.length,
      seconds: (performance.now() - started) / 1000,
      ratio: {
        median: quantile(ratios, 0.5),
        p90: quantile(ratios, 0.9),
        worst: Math.max(...ratios),
        worstCell: describeCell(worstOf(scored)),
        worstBig: Math.max(...big.map((one) => one.ratio)),
        worstBigCell: describeCell(worstOf(big))
      },
      groups: {
        count: byGroup.length,
        overFloor: overFloor.length,
        worstFloor: Math.max(...byGroup.map((group) => group.floor)),
        worstOverFloor: byGroup.reduce((a, b) => (b.worst / b.floor > a.worst / a.floor ? b : a))
      },
      throttled: {
        median: quantile(
          scored.map((one) => one.throttledShare),
          0.5
        ),
        ...throttleCounts(scored),
        ...opening(scored)
      },
      unverified: {
        cells: scored.filter((one) => one.unverified > 0).length,
        whereBestFitsWith20PercentToSpare: unverifiedWhereBestFits(scored).length
      },
      groupArgument: groupArgument(byGroup),
      overByRate: Object.fromEntries(
        GRID.rates.map((rate) => [rate, over10Percent.filter((one) => one.rate === rate).length])
      ),
      bigOver2: {
        cells: bigOver2.length,
        of: big.length,
        maxBestMs: Math.max(0, ...bigOver2.map((one) => one.bestMs)),
        rates: [...new Set(bigOver2.map((one) => one.rate))].sort((a, b) => a - b),
        overOne429: bigOverOne429.length,
        overOne429Bursts: [...new Set(bigOverOne429.map((one) => one.burst))].sort((a, b) => a - b),
        argument: await bigArgument()
      },
      offGridLimits: await offGrid(offGridLimits()),
      whereUsersRunIt: {
        secondRunStarts: SECOND_RUN_STARTS,
        coldStartMs: COLD_START_MS,
        countsRefused: await offGrid(users.countsRefused),
        shared: await offGrid(users.shared),
        joining: await offGrid(users.joining),
        coldStart: await offGrid(users.coldStart)
      },
      endToEndCells: await Promise.all(cells)
    })
  );
}

void main();
