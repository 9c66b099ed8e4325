// What GitHub and npm read of the package. That dist/ is what src/ builds to is checked by
// script/check-dist.mjs (in .ci/run and check-dist.yml): a rebuild takes longer than every unit test.

import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/version.js';
import { ROOT, actionYml } from './helpers/action-yml.js';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  scripts: Record<string, string>;
  bin?: Record<string, string>;
  files?: string[];
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Manifest;
const pkg = read('package.json');
const cliPkg = read('cli/package.json');

describe('the CLI package (cli/, published to npm)', () => {
  it('has its bundle where its bin points, with a node shebang', () => {
    expect(Object.keys(cliPkg.bin ?? {})).toEqual(['fullstory-key-check']);
    const cli = readFileSync(join(ROOT, 'cli', cliPkg.bin!['fullstory-key-check']!), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('installs nothing (its bundle holds every library), admits the Node it runs on, and ships only its bundle', () => {
    expect(cliPkg).toMatchObject({ name: 'fullstory-key-check', type: 'module', engines: { node: '>=22' } });
    expect(cliPkg.version).toBe(pkg.version);
    expect(cliPkg).not.toHaveProperty('dependencies');
    expect(cliPkg).not.toHaveProperty('private');
    expect(cliPkg.files).toEqual(['dist']);
    expect(pkg.scripts.package).toContain('ncc build src/cli-entry.ts -o cli/dist');
    expect(readFileSync(join(ROOT, 'cli', 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
  });

  it('leaves the root to the action: private, with its runtime libraries as dependencies for npm audit', () => {
    expect(pkg.private).toBe(true);
    expect(pkg).not.toHaveProperty('bin');
    // Every package src/ imports, by its name: what the bundles hold, and npm audit should see.
    const imported = readdirSync(join(ROOT, 'src'))
      .flatMap((file) => [
        ...readFileSync(join(ROOT, 'src', file), 'utf8').matchAll(/^import .* from '([^.'][^']*)';$/gm)
      ])
      .map(([, specifier]) => specifier!)
      .filter((specifier) => !specifier.startsWith('node:'))
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/')
      );
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual([...new Set(imported)].sort());
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
