// `npm run local-action` as a newcomer runs it: the source through @github/local-action, whose
// stand-in for @actions/core is not the real one, with .env.example's inputs against the emulator.
// A failing verdict must fail the run (a non-zero exit) with the verdict's own error, and a
// matching one must pass; neither may end in "Unexpected error". Run by .ci/run.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/fullstory-emulator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const example = readFileSync(join(root, '.env.example'), 'utf8');
const emulator = await startEmulator();
const dir = mkdtempSync(join(tmpdir(), 'local-action-'));
const problems = [];

/** Runs local-action with .env.example, its expected level and api-url replaced. */
function localAction(expectedLevel) {
  const envFile = join(dir, `${expectedLevel}.env`);
  writeFileSync(
    envFile,
    example
      .replace(/^INPUT_EXPECTED-LEVEL=.*$/m, `INPUT_EXPECTED-LEVEL=${expectedLevel}`)
      .replace(/^INPUT_API-URL=.*$/m, `INPUT_API-URL=${emulator.url}`)
  );
  // Not spawnSync: the emulator runs in this process and must keep answering.
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no-install', 'local-action', '.', 'src/main.ts', envFile], { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// The verdict goes last: a line that starts with `ok` reads as a TAP test point to CI's reader
// of test output (a test point with no plan and no count).
function expect(what, ok, output) {
  if (ok) {
    console.log(`${what}: yes`);
  } else {
    problems.push(what);
    console.error(`${what}: NO\n${output}`);
  }
}

try {
  // .env.example's key is the emulator's Standard key.
  const failing = await localAction('admin');
  expect('a mismatch exits non-zero', failing.code !== 0, failing.output);
  expect(
    'a mismatch says so, with its advice',
    /::error title=Fullstory API key mismatch::.*expected exactly Admin \(role ADMIN\), but the key is Standard/.test(
      failing.output
    ),
    failing.output
  );
  expect('a mismatch is no unexpected error', !failing.output.includes('Unexpected error'), failing.output);

  const passing = await localAction('standard');
  expect('a match exits 0', passing.code === 0, passing.output);
  expect('a match says so', /✅ Key na1 …0001 has role "USER"/.test(passing.output), passing.output);
} finally {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`local-action: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('local-action: the failing and the passing verdict both work');
