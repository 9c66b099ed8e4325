// GitHub runs dist/, not src/: the committed bundle must be exactly what src/ builds to.

import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VERSION } from '../src/version.js';
import { ROOT, actionYml } from './helpers/run-action.js';

const run = promisify(execFile);
const read = (dir: string) =>
  Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

describe('dist/', () => {
  it('is what `npm run package` builds from src/', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fs-key-dist-'));
    try {
      const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
      await run(process.execPath, [ncc, 'build', 'src/index.ts', '-o', out, '--license', 'licenses.txt'], { cwd: ROOT });
      const built = read(out);
      const committed = read(join(ROOT, 'dist'));
      expect(Object.keys(committed)).toEqual(Object.keys(built));
      for (const name of Object.keys(built)) {
        // toBe on a megabyte would print it all: compare, and name the file that differs.
        expect({ name, same: committed[name] === built[name] }).toEqual({ name, same: true });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('metadata', () => {
  it('runs dist/index.js on node24', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('sends the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
