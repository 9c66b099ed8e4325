// `npm run bench`: what a key check costs, against the floor and against what a user would write
// instead, on loopback against the local emulator over TLS. Commands are interleaved run by run
// (A B C D A B C D ...) so that machine noise hits all alike; compare the ratios, not the absolutes.
// Then the pace of a batch: the simulated grid of rate limits (script/pace-grid.ts, the action's
// pace controller against the best schedule and each group's floor), and a few of its cells end to
// end against a rate-limited emulator. Prints the results and writes docs/BENCHMARKS.md. BENCH_RUNS sets the
// rounds (default 30).

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEMO_KEYS, makeCertificate, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { nodeBinary } from './node-runtime.mjs';
import { runPaceGrid } from './pace-grid-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const node24 = nodeBinary(24);
if (node24 === undefined) {
  console.error('bench runs the action on Node 24: run `node script/node-runtime.mjs 24` first (or set FKC_NODE24).');
  process.exit(2);
}
const bundle = join(root, 'dist', 'index.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const KEY = Object.keys(DEMO_KEYS).find((key) => DEMO_KEYS[key].role === 'USER');
const work = mkdtempSync(join(tmpdir(), 'fs-key-bench-'));

for (const tool of ['curl', 'jq', 'openssl', '/usr/bin/time']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`bench needs ${tool}: apt-get install -y ${tool === '/usr/bin/time' ? 'time' : tool}`);
    process.exit(2);
  }
}

// ---- a TLS emulator, trusted by every contestant the same way ------------------------------
const certificate = makeCertificate();
const tls = { key: certificate.key, cert: certificate.cert };
const caFile = certificate.certFile;

/** One command under GNU time: wall time from here, peak RSS (KB) from time's %M. */
function measure(argv, env) {
  const rssFile = join(work, 'rss');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv], {
      env,
      stdio: ['ignore', 'ignore', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rss = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
      resolve({ code, ms, rss, stderr });
    });
    child.on('error', reject);
  });
}

const defaults = Object.fromEntries(
  Object.entries(parse(readFileSync(join(root, 'action.yml'), 'utf8')).inputs).map(([name, spec]) => [
    name,
    String(spec.default ?? '').replace('${{ github.token }}', 'ghs_benchToken')
  ])
);

/** The environment the runner gives a node24 action: every INPUT_*, and the GITHUB_* files. */
function actionEnv(inputs, extra = {}) {
  const env = { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: caFile, RUNNER_TEMP: work, ...extra };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE']) {
    env[name] = join(work, name);
    writeFileSync(env[name], '');
  }
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

const floorScript = join(work, 'floor.mjs');
writeFileSync(
  floorScript,
  `import https from 'node:https';
https.get(process.env.URL + '/me', { headers: { authorization: 'Basic ' + process.env.KEY } }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => { process.exitCode = JSON.parse(body).role === 'USER' ? 0 : 1; });
});
`
);

// What the required packages cost by themselves: a bundle that only imports @actions/core and
// reads an input, built by ncc the way dist/ is (it must sit inside the project to resolve).
const coreOnlyDir = join(root, 'node_modules', '.cache', 'fs-key-bench');
mkdirSync(coreOnlyDir, { recursive: true });
writeFileSync(
  join(coreOnlyDir, 'core-only.mjs'),
  "import * as core from '@actions/core';\ncore.getInput('expected-level');\n"
);
execFileSync(
  join(root, 'node_modules', '.bin', 'ncc'),
  ['build', join(coreOnlyDir, 'core-only.mjs'), '-o', join(work, 'core-only'), '--quiet'],
  { stdio: 'ignore' }
);
const coreOnly = join(work, 'core-only', 'index.mjs');

// The yardstick the action's start-up is judged by (issue 18): the least an action built on
// @actions/core can do for this job, bundled the same way. Ten lines: two inputs, one mask, one GET,
// one output.
writeFileSync(
  join(coreOnlyDir, 'core-floor.mjs'),
  `import * as core from '@actions/core';
import https from 'node:https';
const key = core.getInput('api-key');
const base = core.getInput('api-url');
core.setSecret(key);
https.get(base + '/me', { headers: { authorization: 'Basic ' + key } }, (res) => {
  let body = '';
  res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
  res.on('end', () => core.setOutput('role', JSON.parse(body).role));
});
`
);
execFileSync(
  join(root, 'node_modules', '.bin', 'ncc'),
  ['build', join(coreOnlyDir, 'core-floor.mjs'), '-o', join(work, 'core-floor'), '--quiet'],
  { stdio: 'ignore' }
);
const coreFloor = join(work, 'core-floor', 'index.mjs');
const coreFloorBytes = statSync(coreFloor).size;

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    min: sorted[0],
    max: sorted.at(-1)
  };
};

let pairwise = Number.NaN;

async function single() {
  const emulator = await startEmulator({ tls });
  const url = emulator.url;
  const contestants = {
    action: () =>
      measure([node24, bundle], actionEnv({ 'api-key': KEY, 'expected-level': 'standard', 'api-url': url })),
    floor: () => measure([node24, floorScript], { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: caFile, URL: url, KEY }),
    '@actions/core floor': () => measure([node24, coreFloor], actionEnv({ 'api-key': KEY, 'api-url': url })),
    'curl + jq': () =>
      measure(
        [
          'bash',
          '-c',
          'role=$(curl -sf --cacert "$CA" -H "Authorization: Basic $KEY" "$URL/me" | jq -r .role) && [ "$role" = USER ]'
        ],
        {
          PATH: process.env.PATH,
          CA: caFile,
          URL: url,
          KEY
        }
      ),
    'action start-up': () =>
      measure([node24, bundle], actionEnv({ 'api-key': KEY, 'expected-level': 'not-a-level', 'api-url': url })),
    '@actions/core alone': () => measure([node24, coreOnly], actionEnv({})),
    'node:https alone': () =>
      measure([node24, '--input-type=module', '-e', "import 'node:https';"], {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: caFile
      })
  };
  const expectedCode = {
    action: 0,
    floor: 0,
    '@actions/core floor': 0,
    'curl + jq': 0,
    'action start-up': 1,
    '@actions/core alone': 0,
    'node:https alone': 0
  };
  const samples = Object.fromEntries(Object.keys(contestants).map((name) => [name, { ms: [], rss: [] }]));
  /** The action's wall time over the @actions/core floor's, round by round: the two ran side by side. */
  const pairs = [];
  for (const run of Object.values(contestants)) await run(); // warm the page cache once
  for (let round = 0; round < RUNS; round += 1) {
    for (const [name, run] of Object.entries(contestants)) {
      const { code, ms, rss, stderr } = await run();
      if (code !== expectedCode[name])
        throw new Error(`${name} exited ${code}, expected ${expectedCode[name]}: ${stderr}`);
      samples[name].ms.push(ms);
      samples[name].rss.push(rss);
    }
    pairs.push(samples.action.ms.at(-1) / samples['@actions/core floor'].ms.at(-1));
  }
  await emulator.close();
  pairwise = stats(pairs).median;
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, { ms: stats(s.ms), rss: stats(s.rss) }]));
}

/** Where the start-up goes: a CPU profile of the bundle stopping at an input error, by kind of work. */
function profileStartup() {
  const dir = join(work, 'profile');
  try {
    execFileSync(node24, ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir, bundle], {
      env: actionEnv({ 'api-key': KEY, 'expected-level': 'not-a-level' }),
      stdio: 'ignore'
    });
  } catch {
    // exits 1 by design: the input error
  }
  return summarise(JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')));
}

function summarise(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const kinds = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url } = byId.get(id).callFrame;
    const kind =
      functionName === 'compileSourceTextModule'
        ? 'compiling the bundle (parse)'
        : functionName === 'compileForInternalLoader' || functionName === 'internalBinding'
          ? 'loading Node built-in modules'
          : url.endsWith('/dist/index.js')
            ? 'running the bundle (module bodies, mostly undici)'
            : functionName === '(garbage collector)'
              ? 'garbage collection'
              : functionName === '(program)' || functionName === '(idle)'
                ? 'Node itself (bootstrap, idle)'
                : url.startsWith('node:')
                  ? 'Node built-in code (module loader, fs, path)'
                  : 'other (native helpers)';
    kinds.set(kind, (kinds.get(kind) ?? 0) + profile.timeDeltas[i] / 1000);
  });
  return [...kinds].sort((a, b) => b[1] - a[1]);
}

/** The Node built-in modules a run loads, from process.moduleLoadList at exit. */
async function builtins(argv, env) {
  const out = join(work, `modules-${Math.random().toString(16).slice(2)}.json`);
  const preload = join(work, 'modules-hook.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, JSON.stringify(process.moduleLoadList)))`
  );
  // Asynchronously: the emulator it talks to runs in this process.
  await measure([node24, '--require', preload, ...argv], { ...env, MODULES_OUT: out });
  return new Set(
    JSON.parse(readFileSync(out, 'utf8'))
      .filter((name) => name.startsWith('NativeModule '))
      .map((name) => name.slice(13))
  );
}

/** Cells of the grid end to end, beside what the simulation says of each. */
const CELLS = [
  {
    shape: 'token bucket',
    burst: 5,
    rate: 10,
    latencyMs: 100,
    throttleLatencyMs: 50,
    retryAfter: 1,
    phaseMs: 0,
    keys: 60
  },
  {
    shape: 'token bucket',
    burst: 10,
    rate: 20,
    latencyMs: 100,
    throttleLatencyMs: 100,
    retryAfter: 1,
    phaseMs: 0,
    keys: 200
  },
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
    retryAfter: 'limit',
    phaseMs: 0,
    keys: 200
  },
  // Where the opening's requests, counted from when they were sent, held the run at 2 a second:
  // 23.7 s end to end against 11.4 s simulated, before they counted from when they may have arrived.
  {
    shape: 'sliding window',
    burst: 0,
    rate: 5,
    latencyMs: 100,
    throttleLatencyMs: 50,
    retryAfter: 'limit',
    phaseMs: 0,
    keys: 50
  },
  // Where the only pass before the cut to one a second is the cold opening request itself, so that
  // nothing but OPENING_SLACK_MS covers its cold start (pace-experiments.md#a-cold-start).
  {
    shape: 'fixed window',
    burst: 0,
    rate: 1,
    latencyMs: 100,
    throttleLatencyMs: 50,
    retryAfter: 1,
    phaseMs: 0,
    keys: 10
  }
];

async function endToEnd(cell) {
  const emulator = await startEmulator({
    tls,
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
  const names = Array.from({ length: cell.keys }, (_, i) => `FS_KEY_${i}`);
  const env = Object.fromEntries(names.map((name) => [name, KEY]));
  const lines = names.map((name) => `${name}: standard`).join('\n');
  // The simulation's deadline (pace-sim.ts: DEADLINE_MS): the pace plans by the time left.
  const runEnv = actionEnv({ keys: lines, 'api-url': emulator.url, 'timeout-seconds': '30' }, env);
  const { ms } = await measure([node24, bundle], runEnv);
  const output = readFileSync(runEnv.GITHUB_OUTPUT, 'utf8');
  const results = JSON.parse(/^results<<(\S+)\n([\s\S]*?)\n\1$/m.exec(output)?.[2] ?? '[]');
  const unverified = cell.keys - results.filter((one) => one.result === 'match').length;
  const requests = emulator.requests.length;
  const throttled = emulator.throttled;
  await emulator.close();
  return { ms, requests, throttled, unverified };
}

const fmt = (n, digits = 1) => n.toFixed(digits);
const bundleBytes = statSync(bundle).size;
const chunks = readdirSync(join(root, 'dist')).filter((name) => /^\d+\.index\.js$/.test(name));
const chunkBytes = chunks.reduce((sum, name) => sum + statSync(join(root, 'dist', name)).size, 0);
const nodeVersion = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();

console.log(
  `Benchmark: ${RUNS} interleaved rounds, Node ${nodeVersion}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})\n`
);
const one = await single();
const table = [
  '| command | wall median (ms) | min | max | peak RSS median (MB) | min | max |',
  '|---|---|---|---|---|---|---|',
  ...Object.entries(one).map(
    ([name, { ms, rss }]) =>
      `| ${name} | ${fmt(ms.median)} | ${fmt(ms.min)} | ${fmt(ms.max)} | ${fmt(rss.median / 1024)} | ${fmt(rss.min / 1024)} | ${fmt(rss.max / 1024)} |`
  )
].join('\n');
const ratio = (a, b, key) => one[a][key].median / one[b][key].median;
const ratios = [
  `- action / @actions/core floor: wall ${fmt(pairwise, 2)}× (median of round-by-round ratios; target ≤ 1.10×), peak RSS ${fmt(ratio('action', '@actions/core floor', 'rss'), 2)}×`,
  `- bundle: dist/index.js ${bundleBytes} bytes (budget 1,175,000), the @actions/core floor's ${coreFloorBytes}`,
  `- action / floor: wall ${fmt(ratio('action', 'floor', 'ms'), 2)}×, peak RSS ${fmt(ratio('action', 'floor', 'rss'), 2)}× (targets: 1.25× each)`,
  `- action / curl + jq: wall ${fmt(ratio('action', 'curl + jq', 'ms'), 2)}×, peak RSS ${fmt(ratio('action', 'curl + jq', 'rss'), 2)}×`,
  `- chunks loaded only for alert-issue: ${chunkBytes} bytes in ${chunks.length}`,
  `- start-up alone (an input error, no request): ${fmt(one['action start-up'].ms.median)} ms, ${fmt(one['action start-up'].rss.median / 1024)} MB`
].join('\n');
console.log(`${table}\n\n${ratios}\n`);

const startup = profileStartup();
const startupTable = [
  '| start-up work | ms |',
  '|---|---|',
  ...startup.map(([kind, ms]) => `| ${kind} | ${fmt(ms)} |`)
].join('\n');
const emulatorForModules = await startEmulator({ tls });
const floorModules = await builtins([floorScript], {
  PATH: process.env.PATH,
  NODE_EXTRA_CA_CERTS: caFile,
  URL: emulatorForModules.url,
  KEY
});
const actionModules = await builtins(
  [bundle],
  actionEnv({ 'api-key': KEY, 'expected-level': 'standard', 'api-url': emulatorForModules.url })
);
await emulatorForModules.close();
// What the action's own code loads on top of @actions/core's (the packages' own are in both).
const coreModules = await builtins([coreOnly], actionEnv({}));
const ownModules = [...actionModules].filter((name) => !coreModules.has(name) && !name.startsWith('internal/')).sort();
const ownModulesSaid =
  ownModules.length === 0
    ? "the action's own code loads none that `@actions/core` does not"
    : `of the action's own code, only ${ownModules.map((name) => `\`${name}\``).join(', ')} ${ownModules.length === 1 ? 'is' : 'are'} among them`;
const extra = [...actionModules].filter((name) => !floorModules.has(name) && !name.startsWith('internal/')).sort();
const extraInternal = [...actionModules].filter(
  (name) => !floorModules.has(name) && name.startsWith('internal/')
).length;
const modules = `Built-in modules the action loads that the floor does not: ${extra.join(', ')} (and ${extraInternal} internal ones).`;
console.log(`${startupTable}\n\n${modules}\n`);

console.log('The pace grid (simulated) ...');
const grid = runPaceGrid(node24, CELLS);
const off = grid.offGridLimits;
const { shared, joining, coldStart: cold, coldStartMs, secondRunStarts: starts } = grid.whereUsersRunIt;
const big = grid.bigOver2.argument;
const pct = (share) => `${fmt(share * 100)}%`;
const met = (ok) => (ok ? 'met' : '**not met**');
const targetRows = [
  [
    'every group within 1.5× of its floor',
    `${grid.groups.overFloor} of ${grid.groups.count} groups over; worst ${fmt(grid.groups.worstOverFloor.worst, 1)}× against a floor of ${fmt(grid.groups.worstOverFloor.floor, 2)}× (${grid.groups.worstOverFloor.worstCell})`,
    grid.groups.overFloor === 0
  ],
  [
    'worst ≤ 2× the best schedule, 200 keys or more',
    `${fmt(grid.ratio.worstBig, 2)}× (${grid.ratio.worstBigCell})`,
    grid.ratio.worstBig <= 2
  ],
  ['median ≤ 1.15×', `${fmt(grid.ratio.median, 3)}×`, grid.ratio.median <= 1.15],
  ['p90 ≤ 2×', `${fmt(grid.ratio.p90, 2)}×`, grid.ratio.p90 <= 2],
  [
    '429s ≤ 10% in every cell of 50 keys or more',
    `${grid.throttled.cellsOver10PercentOf50Plus} of ${grid.throttled.cellsOf50Plus} cells over (${grid.throttled.cellsOver10PercentAfterOpening} without the opening's 429s)`,
    grid.throttled.cellsOver10PercentOf50Plus === 0
  ],
  [
    '≤ 2 429s in a batch of 10 keys',
    `${grid.throttled.tenKeyCellsOver2} of ${grid.throttled.tenKeyCells} cells over (${grid.throttled.tenKeyCellsOver2AfterOpening} without the opening's 429s)`,
    grid.throttled.tenKeyCellsOver2 === 0
  ],
  [
    'no key unverified where the best schedule fits in 30 s with 20% to spare',
    `${grid.unverified.whereBestFitsWith20PercentToSpare} cells with keys unverified (${grid.unverified.cells} in all, most where no schedule fits)`,
    grid.unverified.whereBestFitsWith20PercentToSpare === 0
  ]
];
const gridTable = [
  '| target (issue 20) | on the grid | |',
  '|---|---|---|',
  ...targetRows.map(([target, value, ok]) => `| ${target} | ${value} | ${met(ok)} |`)
].join('\n');
console.log(`${gridTable}\n`);

const cellRows = [];
for (const [i, cell] of CELLS.entries()) {
  const run = await endToEnd(cell);
  const sim = grid.endToEndCells[i];
  cellRows.push(
    `| ${sim.name} | ${fmt(run.ms / 1000, 2)} | ${fmt(sim.ms / 1000, 2)} | ${fmt(sim.bestMs / 1000, 2)} | ${fmt(run.ms / sim.bestMs, 2)}× | ${run.throttled} / ${run.requests} | ${sim.throttled} / ${sim.requests} | ${run.unverified} | ${Math.abs(run.ms - sim.ms) <= Math.max(0.2 * sim.ms, 1000) ? 'yes' : '**no**'} |`
  );
  console.log(cellRows.at(-1));
}
const cellTable = [
  '| cell | end to end (s) | simulated (s) | best schedule (s) | end to end / best | 429s / requests, end to end | simulated | unverified | within 20% (or 1 s) of the simulation |',
  '|---|---|---|---|---|---|---|---|---|',
  ...cellRows
].join('\n');
const report = `# Benchmarks

Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${nodeVersion}, ${cpus().length} CPUs
(${cpus()[0]?.model ?? 'unknown'}), ${RUNS} interleaved rounds, against the local emulator over TLS on loopback.
Shared, noisy machines: read the ratios, which one run measures under the same noise.

## One key

- **action**: the committed \`dist/index.js\` under Node 24, run as the runner runs it (\`INPUT_*\`, \`GITHUB_*\` files).
- **floor**: a minimal Node 24 script: \`node:https\`, the same GET and header, \`JSON.parse\`.
- **curl + jq**: what a user would write instead: \`curl -sf -H "Authorization: Basic $KEY" …/me | jq -r .role\` and a comparison.
- **action start-up**: the bundle stopping at an input error, before any request.

${table}

${ratios}

### Where the start-up goes

A CPU profile of the bundle stopping at an input error (\`--cpu-prof\`, sampled every 50 µs):

${startupTable}

${modules}

### What the single-key numbers say

Against the @actions/core floor (issue 18's yardstick: the least an action on @actions/core can do
for this job) the action is ${Number(fmt(pairwise, 2)) <= 1.1 ? 'within' : 'over'} the 1.10× budget. Against the bare \`node:https\` floor the older
targets (1.25×) are not met, and the measurement above shows why: the gap is the start-up of the
required packages, not the check. A bundle that
only imports \`@actions/core\` and reads one input starts in ${fmt(one['@actions/core alone'].ms.median)} ms and
${fmt(one['@actions/core alone'].rss.median / 1024)} MB, against ${fmt(one['node:https alone'].ms.median)} ms and ${fmt(one['node:https alone'].rss.median / 1024)} MB for Node loading \`node:https\`:
${fmt(one['@actions/core alone'].ms.median - one['node:https alone'].ms.median)} ms of the ${fmt(one.action.ms.median - one.floor.ms.median)} ms between the action and the floor. \`@actions/core\` imports
\`@actions/http-client\` (for OIDC tokens), which imports \`undici\` (906 KB of the 1.1 MB bundle) at
its top level, and \`@actions/exec\` (for platform details); ES modules evaluate every static
import, so all of it is parsed and run before the first line of the action, used or not. The
built-in modules listed above (\`child_process\`, \`zlib\`, \`http2\`, \`worker_threads\`, …) are theirs;
${ownModulesSaid}. What the action adds on top of
\`@actions/core\` is ${fmt(one['action start-up'].ms.median - one['@actions/core alone'].ms.median)} ms of start-up, and the check itself
${fmt(one.action.ms.median - one['action start-up'].ms.median)} ms against the floor's ${fmt(one.floor.ms.median - one['node:https alone'].ms.median)} ms. Minifying the bundle
(\`ncc -m\`) was measured and made start-up slower, not faster. Octokit, for the alert issue, is in
chunks of its own that the check never loads.

## The pace of a batch

Fullstory publishes no numbers for its rate limit, so a batch learns its pace from 429s
(src/limiter.ts). It is measured in a deterministic simulation (script/pace-sim.ts) that runs the
real check (src/check.ts: the Gate, the RateGate pace and fetchMe's 429 loop under the run's 30 s
deadline) on a virtual clock, with a simulated server in place of the HTTP client. The grid has
${grid.cells} cells: a token bucket (bursts 1, 5, 20, 100), a fixed one-second window starting 0,
370, 700 or 950 ms into its first second, and a sliding window; 1, 5, 20 and 50 requests a second;
20, 100 and 300 ms per request that passes, ±20% seeded jitter; 429s in half that or as long;
Retry-After of 1 s, 5 s, or when the limit lets one through again; 10, 50, 200 and 500 keys. It ran
in ${fmt(grid.seconds, 1)} s.

The yardstick, from the cells alone: the **best schedule** per cell (a client that knows the limit),
and per group of cells that look alike until a first 429 (same keys, latencies and Retry-After) a
**floor**: max over its cells c of min(best(c) / best(P), cost(c) / best(c)), where P is the group's
most permissive cell (a bucket of burst 100 at 50/s) and cost(c) the least a client pays in c once
it exceeds c's envelope (a 429, its Retry-After, a round trip). No client that learns the limit can
guarantee better over the group; the worst floor on the grid is ${fmt(grid.groups.worstFloor, 2)}×.

${gridTable}

The median cell is ${fmt(grid.ratio.median, 3)}× the best schedule and the median 429 share
${pct(grid.throttled.median)}. The controller (src/limiter.ts) fixes the three losses issue 20
named: requests are counted by when they were sent and no more go in any one second than the pace
allows, so after a burst a window that is still full is waited out instead of probed; probing
after the first 429 doubles every round trip (every 200 ms where round trips are shorter) instead
of every second; and before the first 429 requests go in rounds of 2, then 4, then 8 at once,
none started on the answers of a round that may still bring 429s. Probing goes no faster than
twice what 8 requests in flight carry at the round trip of a pass, and a failed probe counts a
request still unanswered as not refused, since a pass may take longer than a 429: off the grid,
where passes take 600 or 900 ms and a 429 a twentieth of that, \`__tests__/pace.test.ts\` checks
that every key is verified where the best schedule fits. While probing, only a request sent when
the pace let it counts toward growing it, and the probe stops growing where the keys left are done
at its pace before a key refused is back from its Retry-After. Under 4 a second, the one request
after a 429 goes no sooner than a second after the last that got through, when a window that
refused it has turned: over two independent reviews' own cells it left fewer keys unverified, alone
and beside a second run, for 4 more of the grid's cells over 10% 429s. A limit counted per second
refuses a request only once it has counted all it allows in the second before (a window), or given
out more than its rate less one (a bucket that did not fill): where a probe that grew fails at 8 a
second or less, or the first 429 at a steady pace comes under 4, the ceiling goes no higher than
one over what got through in that second and half a round trip before it (a limit counts a
request when it arrives), unless the run joined a limit another client spends. There a cut by a fifth sends as many whole requests as the pace
that failed (2.6 and 2.1 a second both send 2), and each cut toward a window of one a second cost
a 429. When it was taken, it took the grid's cells over 10% 429s from 366 to 284 (155 to 73
without the opening's), with no cell slower, and left more runs of the shared set short (below).
The opening's requests go first, on cold connections, and a limit counts a request when it
arrives: in those rules each counts from as much later than it was sent as its round trip exceeds
the least of a pass, and 10 ms more. That holds the grid's targets with a cold start (below); when
it was taken it cost 7 of the grid's cells over 10% 429s (284 to 291) and 20 runs of the shared
set short (247 to 267).
[pace-experiments.md](pace-experiments.md) has what each rule buys, taken out alone on every set,
and the controllers measured and not taken. \`npm run pace\` (a step of
.ci/run) holds the whole grid to the targets met and to today's figures for the others;
\`npm test\` holds every 7th cell (\`__tests__/pace.test.ts\`).

### The targets not met

- **Every group within 1.5× of its floor** cannot be met by any client, in at least one group.
  The floor compares each cell with the most permissive one alone; three cells of the group
  ${grid.groupArgument.group} (floor ${fmt(grid.groupArgument.floor, 2)}×, so the target allows
  ${fmt(grid.groupArgument.allowed, 1)}×) together rule it out:
  ${grid.groupArgument.cells.map((cell) => `${cell.name} (best ${fmt(cell.bestMs, 0)} ms)`).join('; ')}.
  A 429 makes its key wait ${fmt(grid.groupArgument.retryAfterMs / 1000, 0)} s, more than
  ${fmt(grid.groupArgument.allowed, 1)}× the best schedule of the bucket or the window allows, so the client may
  meet none in either. Then in the bucket it sends one request each 20 ms at most: 3 before the
  window turns at 50 ms; in the window, 5 more at most before it turns again at
  ${fmt(grid.groupArgument.ninthAtMs, 0)} ms. Until a 429 the three cells answer alike, so in the permissive cell too the
  9th key goes at ${fmt(grid.groupArgument.ninthAtMs, 0)} ms or later: ${fmt(grid.groupArgument.permissiveRatio, 1)}× its best schedule, over
  ${fmt(grid.groupArgument.allowed, 1)}×. What holds instead is measured: ${grid.groups.count - grid.groups.overFloor} of ${grid.groups.count} groups are within
  1.5× of their floor, the worst at ${fmt(grid.groups.worstOverFloor.worst / grid.groups.worstOverFloor.floor, 2)}× its floor, and \`npm run pace\` keeps the count from growing.
- **Worst ≤ 2× for 200 keys or more** is not met (${grid.bigOver2.cells} of ${grid.bigOver2.of} such cells over, all at ${grid.bigOver2.rates.join(' or ')} requests a
  second with a best schedule under ${fmt(grid.bigOver2.maxBestMs / 1000, 1)} s; the worst, ${fmt(grid.ratio.worstBig, 2)}×: ${grid.ratio.worstBigCell}),
  and a client that meets it is slow where a key has no limit at all. In the grid's most permissive
  cell of 200 keys (${big.permissive}; best schedule ${fmt(big.bestMs, 0)} ms)
  a single 429 takes its key to ${fmt(big.oneThrottleRatio, 2)}× (it waits 5 s), so a client that meets the target meets
  no 429 there: before its first 429 it never sends faster than a burst of 100 and 50 a second
  allow. Where a key has no limit, nothing is refused and the answers are alike, so it goes no
  faster there: ${fmt(big.unlimitedRatio, 2)}× the best schedule of ${fmt(big.unlimitedBestMs, 0)} ms (200 keys at 20 ms, 8 at a time), where this
  controller takes ${fmt(big.unlimitedPaceRatio, 2)}×. Fullstory says that "for most APIs this limit is set such that it
  should not be hit under realistic load", so that key is the common case, and the target is not
  bought with it: \`npm run pace\` keeps the worst from growing.
  Allowing one 429's cost where that is more than 2× (the best schedule plus a Retry-After and a
  round trip, as the floor charges), ${grid.bigOver2.overOne429} cells are over, all token buckets of burst ${grid.bigOver2.overOne429Bursts.join(' or ')}: there
  a probe is refused as soon as its pace crosses the limit, and the bracket sets the ceiling at
  half that pace or at what passed in the second before, a little over half the limit.
- **429s ≤ 10% in every cell of 50 keys or more** is not met (${grid.throttled.cellsOver10PercentOf50Plus} cells over: ${grid.overByRate[1]} at 1 request a
  second, ${grid.overByRate[5]} at 5, ${grid.overByRate[20]} at 20, ${grid.overByRate[50]} at 50), nor **≤ 2 429s in a batch of 10 keys** (${grid.throttled.tenKeyCellsOver2} over, mostly
  at 1 or 5 a second), and neither is shown impossible: the argument above needs a bound on time in
  each cell of a group, and of the targets met only the deadline's (no key unverified) is one. What
  a 429 fewer costs falls on the median and p90 of the whole grid, which no group decides alone.
  Part of each is the opening's: the 429s of requests sent before any 429 came back, which a client sends alike where a key has no limit (in a
  bucket of burst 20 at 1 a second, the 21st request is refused, and so are the 7 sent after it
  before its 429 comes back). On the opening's 429s alone ${grid.throttled.cellsOver10PercentOnOpeningAlone} cells are over
  10% and ${grid.throttled.tenKeyCellsOver2OnOpeningAlone} batches over 2; without them, ${grid.throttled.cellsOver10PercentAfterOpening} cells and ${grid.throttled.tenKeyCellsOver2AfterOpening} batches are: what the pace spends
  learning the limit, which \`npm run pace\` holds apart too, so that a change to the opening cannot
  hide a worse learning. A smaller opening is no way out: one request first instead of two took the
  cells over to 618 and the batches to 130, with p90 at 2.25× and the median at 1.178×. 28 of the cells over are ones no schedule
  finishes in 30 s, where a failed probe holds its pace to try (below, off the grid: without it a
  run on 2 or 3 a second goes at one a second), and pays one 429 more; without the hold, 265. At 1
  a second about 30 requests fit in the 30 s deadline, so 10% is 3 429s: the one that reveals the
  limit, one sent with it and one probe upward spend it. The controllers measured that spend
  fewer lost a target that is met, or keys where users run it:
  [pace-experiments.md](pace-experiments.md#measured-and-not-taken) lists them, with every other
  controller measured. Both counts are held where they are by \`npm run pace\`.

### Where users run it

Off the grid, \`npm run pace\` also runs a set of limits the grid does not hold, and four sets
that the grid's single run on a limit of its own does not show (script/pace-sim.ts's
\`offGridLimits\` and \`whereUsersRunIt\`):

- **A run alone on a limit the grid does not hold** (${off.cells} seeded random cells: bursts of 2, 3, 10 and
  50 too, 2 to 60 requests a second, a fixed window turning at any millisecond, 429s from a
  twentieth to three times a pass's time, answers of up to 900 ms, 10 to 500 keys): keys are left
  unverified where the best schedule fits with 20% to spare in **${off.lostWhereAllFit} cell${off.lostWhereAllFit === 1 ? '' : 's'}** (${off.worstLost}),
  and \`npm run pace\` keeps that, the cells over 10% 429s (${off.cellsOver10PercentOf50Plus} of ${off.cellsOf50Plus}) and the ten-key batches
  over 2 (${off.tenKeyCellsOver2} of ${off.tenKeyCells}) from growing. Here the opening is most of both: on its 429s alone
  ${off.cellsOver10PercentOnOpeningAlone} cells are over 10% and ${off.tenKeyCellsOver2OnOpeningAlone} batches over 2, and without them ${off.cellsOver10PercentAfterOpening} cells and ${off.tenKeyCellsOver2AfterOpening} batches
  are. Between 1 and 5 a second the grid holds no limit; there, where
  the keys left would outlast the run at the pace a failed probe's cut settles on, the probe holds
  the ceiling it set in whole requests a second until a 429 says it is too fast ([pace-experiments.md](pace-experiments.md#the-hold-near-the-deadline)).
- **Windows that count refused requests too**, as a limiter that logs every request before it
  checks it does (${grid.whereUsersRunIt.countsRefused.cells} cells: the grid's windows at 5 and 20 a second, 50 and 200 keys): keys are
  left unverified where the best schedule fits with 20% to spare in
  ${grid.whereUsersRunIt.countsRefused.lostWhereAllFit} cells, and \`npm run pace\` holds that.
- **A limit shared with a second run of the action** (a matrix job, a scheduled check beside a
  deploy gate) that starts a second in with as many keys (${shared.cells / starts} limits: buckets of burst 5 and 20,
  windows, at 5, 20 and 50 a second, 20 and 100 ms, 50 and 200 keys; each with the second run
  starting at ${starts} moments, that second and every 62.5 ms after it, ${shared.cells.toLocaleString('en-US')} runs): keys are left
  unverified in **${shared.lostWhereAllFit} runs** of the ${shared.fit.toLocaleString('en-US')} where a schedule that knew the limit
  would finish both runs with 20% to spare (the most: ${shared.worstLost ?? 'none'}). This is not met, and
  \`npm run pace\` only keeps it from growing: a run alone is every run, and its 429s are issue
  20's target, while a second run beside it of 50 keys or more has a remedy in the workflow
  (docs/rate-limits.md: one step for all the keys, or \`strategy.max-parallel: 1\`), and when it
  runs out of time it fails, with the reason, rather than passing a key it did not verify.
  [pace-experiments.md](pace-experiments.md#the-cubic-counts-passes-not-seconds) has what a climb counted in seconds, which would leave none, costs the grid,
  and [what the bound at a few a second costs here](pace-experiments.md#where-the-second-run-starts).
- **A second run that joins halfway through the first** (the same ${joining.cells / starts} limits, the second run starting
  when the first's best schedule is half done, and at the ${starts - 1} moments after it): keys are left
  unverified in **${joining.lostWhereAllFit} runs** of the ${joining.fit.toLocaleString('en-US')} where both fit with 20% to spare (the most:
  ${joining.worstLost ?? 'none'}), and \`npm run pace\` keeps that from growing. A run whose first requests are all refused has joined
  a limit that another client spends, so the ceiling it learns is that client's leftover: its cubic
  runs on time as well, 4 s back to the ceiling ([pace-experiments.md](pace-experiments.md#a-joined-run-climbs-back-on-time-too)).

- **A cold start**: every cell of the grid with the run's first round reaching the server, and
  coming back, ${coldStartMs} ms later than it was sent (the first TLS handshake of a process, and over a
  network a DNS lookup: end to end here, the first request reached the emulator at least 9 ms
  later, against one sent a second after it). Against the best schedule plus the cold start, the
  median cell is ${fmt(cold.median, 3)}× and p90 ${fmt(cold.p90, 2)}×, keys are left unverified where the best schedule fits
  with 20% to spare in ${cold.lostWhereAllFit} cells, and \`npm run pace\` holds the three to the grid's targets,
  and its ${cold.cellsOver10PercentOf50Plus} cells over 10% 429s and ${cold.tenKeyCellsOver2} ten-key batches over 2 to today's. Counted from when
  they were sent, the opening's requests put p90 at 2.04×: a request a second after one of them
  arrived within the second that counted it, and its 429 held a run at 2 a second where 5 were
  allowed ([pace-experiments.md](pace-experiments.md#a-cold-start)).

From one start each, the shared and joining sets measured where the second run started more than
the pace. Over the ${starts} starts they still move with paces that no limit can tell apart: read a change
against [that spread](pace-experiments.md#where-the-second-run-starts).

## End to end

Cells of the grid run as the runner runs the bundle, against the emulator enforcing the cell's limit
over TLS, beside what the simulation predicts for the same cell (\`__tests__/pace.e2e.test.ts\`
checks what does not depend on this machine's speed: every key verified, the 429s within bounds).
The emulator counts its limit from the first request, as the simulation counts from the run's
first: counted from the server's start, the fixed window's phase moved with the action's start-up
(81 to 173 ms here), and the window cell ran 1.90, 2.75 or 3.1 s against the 2.92 s simulated.

${cellTable}
`;
writeFileSync(join(root, 'docs', 'BENCHMARKS.md'), report);
rmSync(work, { recursive: true, force: true });
console.log(`\n${cellTable}\n\nWrote docs/BENCHMARKS.md`);
