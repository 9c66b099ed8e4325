// `npm run pace`, a step of .ci/run: the whole pace grid (2,592 cells; `npm test` runs every 7th)
// against issue 20's targets, and five sets off the grid: limits the grid does not hold, and four
// where users run the action. The targets the pace meets must hold; for the others
// (docs/BENCHMARKS.md says why each is not met), what it reaches today must not get worse, and the
// premises of the arguments made there must still be true.

import { runPaceGrid } from './pace-grid-run.mjs';

const grid = runPaceGrid(process.execPath);
const checks = [
  ['median ratio to the best schedule ≤ 1.15 (target)', grid.ratio.median, 1.15],
  ['p90 ratio to the best schedule ≤ 2 (target)', grid.ratio.p90, 2],
  [
    'cells with keys unverified where the best schedule fits in the deadline with 20% to spare: 0 (target)',
    grid.unverified.whereBestFitsWith20PercentToSpare,
    0
  ],
  ['groups over 1.5× their floor (today; target 0)', grid.groups.overFloor, 51],
  ['worst ratio, 200 keys or more (today; target 2)', grid.ratio.worstBig, 3.31],
  // 265 without the hold of a failed probe's pace where no schedule finishes in 30 s (BENCHMARKS.md),
  // which pays a 429 to try. 366 before a failed probe's and the first steady pace's ceilings went
  // no higher than one over what got through in the second before, at a few a second
  // (pace-experiments.md). 284 before the opening's requests counted from when they may have arrived
  // (which a cold start needs: below); paces that no limit tells apart move it 284 to 288.
  ['cells of 50 keys or more with 429s over 10% (today; target 0)', grid.throttled.cellsOver10PercentOf50Plus, 291],
  ['10-key cells with more than two 429s (today; target 0)', grid.throttled.tenKeyCellsOver2, 47],
  // The same two without the opening's 429s (requests sent before any 429 came back, which a
  // client sends alike where a key has no limit): what the pace spends learning, held apart so
  // that a better opening cannot hide a worse learning.
  [
    "cells of 50 keys or more with 429s over 10%, the opening's not counted (today)",
    grid.throttled.cellsOver10PercentAfterOpening,
    72
  ],
  [
    "10-key cells with more than two 429s, the opening's not counted (today)",
    grid.throttled.tenKeyCellsOver2AfterOpening,
    3
  ],
  [
    'off the grid, a run alone on 3,000 random limits: cells with keys unverified where the best schedule fits with 20% to spare (today)',
    grid.offGridLimits.lostWhereAllFit,
    1
  ],
  [
    'off the grid, a run alone on 3,000 random limits: cells of 50 keys or more with 429s over 10% (today)',
    grid.offGridLimits.cellsOver10PercentOf50Plus,
    448
  ],
  [
    'off the grid, a run alone on 3,000 random limits: 10-key cells with more than two 429s (today)',
    grid.offGridLimits.tenKeyCellsOver2,
    110
  ],
  [
    'off the grid, windows that count refused requests: cells with keys unverified where the best schedule fits with 20% to spare',
    grid.whereUsersRunIt.countsRefused.lostWhereAllFit,
    0
  ],
  // The shared and joining sets run each limit with the second run starting at 16 moments
  // (pace-sim.ts: SECOND_RUN_STARTS). Held at today's figures, as the rest, but read a break with
  // their spread in mind: paces that no limit can tell apart (the probe doubling every 194 to 206
  // ms instead of 200) leave 240 to 261 shared runs short and 85 to 118 joining runs
  // (pace-experiments.md#where-the-second-run-starts).
  [
    'off the grid, a limit shared with a second run: runs with keys unverified where both runs fit with 20% to spare (today)',
    grid.whereUsersRunIt.shared.lostWhereAllFit,
    // 222 before a failed probe's and the first steady pace's ceilings were bounded (above): the
    // first run's share when the second came in is its bound. A run alone is every run; two that
    // share a limit have a remedy in the workflow (docs/rate-limits.md). 247 before the opening's
    // requests counted from when they may have arrived, past the spread above: a run whose first
    // requests count later goes later, into the other run's turn (pace-experiments.md#a-cold-start).
    267
  ],
  [
    'off the grid, a second run joining halfway through the first: runs with keys unverified where both runs fit with 20% to spare (today)',
    grid.whereUsersRunIt.joining.lostWhereAllFit,
    91
  ],
  // The grid's cells with the run's first round arriving late (a cold start, as end to end here):
  // the targets the grid meets hold there too. Counted from when they were sent, the opening's
  // requests put the median at 1.153 and p90 at 2.04 (pace-experiments.md#a-cold-start).
  ['with a cold start: median ratio to the best schedule ≤ 1.15 (target)', grid.whereUsersRunIt.coldStart.median, 1.15],
  ['with a cold start: p90 ratio to the best schedule ≤ 2 (target)', grid.whereUsersRunIt.coldStart.p90, 2],
  [
    'with a cold start: cells with keys unverified where the best schedule fits with 20% to spare: 0 (target)',
    grid.whereUsersRunIt.coldStart.lostWhereAllFit,
    0
  ],
  [
    'with a cold start: cells of 50 keys or more with 429s over 10% (today; target 0)',
    grid.whereUsersRunIt.coldStart.cellsOver10PercentOf50Plus,
    293
  ],
  [
    'with a cold start: 10-key cells with more than two 429s (today; target 0)',
    grid.whereUsersRunIt.coldStart.tenKeyCellsOver2,
    50
  ]
];
// The arguments docs/BENCHMARKS.md makes for two targets not met, from figures the grid computes:
// a change to the grid that takes a premise away must take the argument out of the docs too.
const { groupArgument } = grid;
const big = grid.bigOver2.argument;
const premises = [
  [
    `no client meets "every group within 1.5× of its floor": in the permissive cell the 9th key goes at ${groupArgument.permissiveRatio.toFixed(1)}× its best, over the ${groupArgument.allowed.toFixed(1)}× allowed`,
    groupArgument.permissiveRatio > groupArgument.allowed
  ],
  [
    `"worst ≤ 2× for 200 keys" allows no 429 in the most permissive cell: one takes its key to ${big.oneThrottleRatio.toFixed(2)}×`,
    big.oneThrottleRatio > 2
  ],
  [
    `a client held to that cell's limit is over 2× where a key has no limit: ${big.unlimitedRatio.toFixed(2)}×`,
    big.unlimitedRatio > 2
  ]
];
let failed = false;
for (const [what, holds] of premises) {
  failed ||= !holds;
  console.log(`${what} (${holds ? 'holds' : 'BROKEN'})`);
}
for (const [what, value, most] of checks) {
  const ok = value <= most;
  failed ||= !ok;
  // CI's reader of test output takes some shapes for another runner's closing line: one that
  // starts with `ok` or `FAIL` and a name (go test's package line), or "N <word> in T s" (pytest's
  // "N passed in Ts"). Runs that printed either were taken for ones that ran no test, so the
  // verdict goes last and the time is said without a count before it.
  console.log(
    `${what}: ${Number.isInteger(value) ? value : value.toFixed(3)}, at most ${most} (${ok ? 'holds' : 'BROKEN'})`
  );
}
console.log(`the whole grid (${grid.cells} cells) took ${grid.seconds.toFixed(1)} s`);
if (failed) process.exitCode = 1;
