// The pace grid for `npm run bench` (which builds this with ncc and runs it): the real check over
// every cell of script/pace-sim.ts's grid, scored against the best schedule and each group's floor,
// with issue 20's targets; and the cells given as a JSON array in argv[2], to set beside the same
// cells end to end. Prints one JSON object.

import {
  DEADLINE_MS,
  describeCell,
  gridCells,
  groups,
  quantile,
  runGrid,
  simulate,
  bestSchedule,
  type Cell
} from './pace-sim.js';

async function main(): Promise<void> {
  const started = performance.now();
  const scored = await runGrid(gridCells());
  const ratios = scored.map((one) => one.ratio);
  const big = scored.filter((one) => one.keys >= 200);
  const worstOf = (cells: typeof scored) => cells.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const byGroup = groups(scored);
  const overFloor = byGroup.filter((group) => group.worst > 1.5 * group.floor);
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
        cellsOver10PercentOf50Plus: scored.filter((one) => one.keys >= 50 && one.throttledShare > 0.1).length,
        cellsOf50Plus: scored.filter((one) => one.keys >= 50).length,
        tenKeyCellsOver2: scored.filter((one) => one.keys === 10 && one.throttled > 2).length,
        tenKeyCells: scored.filter((one) => one.keys === 10).length
      },
      unverified: {
        cells: scored.filter((one) => one.unverified > 0).length,
        whereBestFitsWith20PercentToSpare: scored.filter((one) => one.unverified > 0 && one.bestMs <= 0.8 * DEADLINE_MS)
          .length
      },
      endToEndCells: await Promise.all(cells)
    })
  );
}

void main();
