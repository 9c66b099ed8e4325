// `npm run demo`: the committed bundle, run the way GitHub's runner runs it, against the local
// emulator with example keys of each level. Needs no install: node built-ins only.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_KEYS, startEmulator } from '../emulator/fullstory-emulator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const keyOf = (role) => Object.keys(DEMO_KEYS).find((key) => DEMO_KEYS[key].role === role);

const scenarios = [
  ['a Standard key, expecting standard', { 'api-key': keyOf('USER'), 'expected-level': 'standard' }],
  [
    'an Admin key, expecting exactly standard (over-privileged)',
    { 'api-key': keyOf('ADMIN'), 'expected-level': 'standard' }
  ],
  [
    'an Admin key, expecting at least architect',
    { 'api-key': keyOf('ADMIN'), 'expected-level': 'architect', match: 'at-least' }
  ],
  [
    'an Architect key from the wrong org',
    { 'api-key': keyOf('ARCHITECT'), 'expected-level': 'architect', 'expected-org-id': 'o-PROD-na1' }
  ],
  [
    'a VIEW_ONLY role, which is no key level',
    { 'api-key': keyOf('VIEW_ONLY'), 'expected-level': 'standard', match: 'at-least' }
  ],
  ['a revoked key', { 'api-key': 'na1.Rv8Kq2Zx5Wm00000000000000000000000000099', 'expected-level': 'standard' }],
  ['a typo in expected-level', { 'api-key': keyOf('USER'), 'expected-level': 'standrad' }]
];

function parseOutputs(text) {
  const outputs = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const [, name, , value] of text.matchAll(pattern)) outputs[name] = value;
  return outputs;
}

function runAction(inputs, apiUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'fs-key-demo-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env = { PATH: process.env.PATH, ...files };
  const all = {
    match: 'exact',
    'fail-on-mismatch': 'true',
    'timeout-seconds': '10',
    'max-attempts': '3',
    'api-url': apiUrl,
    ...inputs
  };
  for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist/index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    child.on('close', (code) => {
      const outputs = parseOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, log, outputs });
    });
  });
}

const emulator = await startEmulator();
console.log(`Fullstory /me emulator on ${emulator.url}; running dist/index.js on node ${process.version}\n`);
try {
  for (const [title, inputs] of scenarios) {
    const { code, log, outputs } = await runAction(inputs, emulator.url);
    console.log(`▶ ${title}`);
    for (const line of log.split('\n')) {
      // The runner hides these commands, and masks the key everywhere after ::add-mask::.
      if (line === '' || line.startsWith('::debug::')) continue;
      console.log(`    ${line.startsWith('::add-mask::') ? '::add-mask::***' : line}`);
    }
    const shown = ['result', 'role', 'level', 'org-id'].filter((name) => name in outputs);
    const summary = shown.map((name) => `${name}=${outputs[name]}`).join(' ') || 'no outputs';
    console.log(`  → exit ${code}, ${summary}\n`);
  }
} finally {
  await emulator.close();
}
