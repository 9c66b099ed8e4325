// What GitHub and npm read of the package. That dist/ is what src/ builds to is checked by
// script/check-dist.mjs (in .ci/run and check-dist.yml): a rebuild takes longer than every unit test.

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../src/version.js';
import { ROOT, actionYml } from './helpers/action-yml.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

describe('dist/', () => {
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
