// The CLI as other CI systems get it: the package in cli/, packed by `npm pack` and installed from
// its tarball, offline, into an empty prefix, where `npx fullstory-key-check` must run with
// nothing else installed (its bundle holds every library), on the oldest Node its engines admit.

import { expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ROOT } from './helpers/action-yml.js';
import { describeWith, node22, node24 } from './helpers/runtimes.js';

/** npm, as a user runs it, with a cache of its own: nothing here reads or writes the user's. */
function npm(args: string[], cwd: string, cache: string, path = process.env.PATH ?? '') {
  const run = spawnSync('npm', ['--cache', cache, '--no-update-notifier', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    // FORCE_COLOR unset: Node warns on stderr when it overrides NO_COLOR, and stderr must be empty.
    env: { ...process.env, PATH: path, NO_COLOR: '1', FORCE_COLOR: undefined }
  });
  if (run.error !== undefined) throw run.error;
  return run;
}

describeWith({ commands: ['npm'] }, 'the npm package fullstory-key-check', () => {
  it('packs only its bundle and installs from the tarball, offline, with no dependency; npx runs it', () => {
    const work = mkdtempSync(join(tmpdir(), 'fs-key-npm-'));
    try {
      const cache = join(work, 'cache');
      const packed = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], join(ROOT, 'cli'), cache);
      expect(packed.status).toBe(0);
      const [tarball] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
      const files = tarball!.files.map((file) => file.path).sort();
      expect(files.filter((path) => !path.startsWith('dist/'))).toEqual(['LICENSE', 'README.md', 'package.json']);
      expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/licenses.txt']));

      const prefix = join(work, 'ci-job');
      const installed = npm(
        ['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(work, tarball!.filename)],
        work,
        cache
      );
      expect(installed.status).toBe(0);
      // The package and its bin, nothing else: no dependency was fetched or installed.
      expect(readdirSync(join(prefix, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
        'fullstory-key-check'
      ]);

      // On the oldest Node the engines admit where there is one, as `npx fullstory-key-check` runs it.
      const node = node22() ?? node24() ?? process.execPath;
      const ran = npm(
        ['exec', '--offline', '--prefix', prefix, '--', 'fullstory-key-check', '--help'],
        prefix,
        cache,
        `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`
      );
      expect({ status: ran.status, stderr: ran.stderr }).toEqual({ status: 0, stderr: '' });
      expect(ran.stdout).toMatch(/^Usage: fullstory-key-check --expected-level LEVEL/);
      expect(readFileSync(join(prefix, 'node_modules', 'fullstory-key-check', 'package.json'), 'utf8')).not.toMatch(
        /"dependencies"/
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
