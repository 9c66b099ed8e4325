// README's inputs and outputs tables are what adopters read; action.yml is what the runner reads.
// They must agree, name for name and default for default.

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, actionYml } from './helpers/run-action.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The rows of the first table under `## heading`, as cells with their backticks removed. */
function table(heading: string): string[][] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^`(.*)`$/, '$1'))
    );
}

describe('README', () => {
  it('lists every input of action.yml, in order, with its default', () => {
    const documented = table('Inputs').map(([name, defaultValue]) => [name, defaultValue]);
    const declared = Object.entries(actionYml.inputs).map(([name, spec]) => [name, spec.default ?? '']);
    expect(documented).toEqual(declared);
  });

  it('lists every output of action.yml, in order', () => {
    expect(table('Outputs').map(([name]) => name)).toEqual(Object.keys(actionYml.outputs));
  });

  it('describes every input and output in action.yml too', () => {
    const all = { ...actionYml.inputs, ...actionYml.outputs } as Record<string, { description?: string }>;
    for (const [name, spec] of Object.entries(all))
      expect({ name, described: (spec.description ?? '').length > 20 }).toEqual({ name, described: true });
  });
});
