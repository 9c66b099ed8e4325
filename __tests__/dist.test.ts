// GitHub runs dist/, not src/: the committed bundle must be exactly what src/ builds to.

import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { VERSION } from '../src/version.js';
import { ROOT, actionYml } from './helpers/run-action.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

/** Every file under `dir`, by its path relative to `dir`. */
function read(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(
    files
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
      .map((path) => [relative(dir, path), readFileSync(path, 'utf8')])
  );
}

describe('dist/', () => {
  it('is what `npm run package` builds from src/', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fs-key-dist-'));
    try {
      // The package script itself, writing elsewhere: the test cannot drift from how dist/ is built.
      const script = pkg.scripts.package!.replaceAll(' -o dist', ` -o ${out}`);
      expect(script).not.toContain(' -o dist');
      await run('sh', ['-c', script], {
        cwd: ROOT,
        env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` }
      });
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

  it('has the CLI where the bin of package.json points, with a node shebang', () => {
    const cli = readFileSync(join(ROOT, pkg.bin['fullstory-key-check']!), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('metadata', () => {
  it('runs dist/index.js on node24', () => {
    expect(actionYml.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('sends the version package.json declares', () => {
    expect(VERSION).toBe(pkg.version);
  });
});
