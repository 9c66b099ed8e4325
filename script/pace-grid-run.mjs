// Builds script/pace-grid.ts with ncc (a devDependency) and runs it: the whole pace grid, and `cells`
// simulated on their own. Shared by `npm run bench` and `npm run pace` (script/check-pace.mjs).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What script/pace-grid.ts prints, parsed; run by `node` (Node 24 in CI and the bench). */
export function runPaceGrid(node, cells = []) {
  const out = mkdtempSync(join(tmpdir(), 'fs-key-pace-'));
  try {
    const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
    execFileSync(process.execPath, [ncc, 'build', join(root, 'script', 'pace-grid.ts'), '-o', out, '-q'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'] // a build that fails says why
    });
    const argv = [join(out, 'index.js'), JSON.stringify(cells)];
    return JSON.parse(execFileSync(node, argv, { encoding: 'utf8', maxBuffer: 1 << 24 }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
