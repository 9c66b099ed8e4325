// README's inputs and outputs tables are what adopters read; action.yml is what the runner reads.
// They must agree, name for name and default for default.

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, actionYml } from './helpers/action-yml.js';
import { LEVELS, MATCH_MODES, RESULTS, ROLE_OF_LEVEL } from '../src/verdict.js';

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

  it('names every value the code accepts or sets, in action.yml and in README alike', () => {
    const rows: Record<string, string> = Object.fromEntries(
      [...table('Inputs'), ...table('Outputs')].map((cells): [string, string] => [
        cells[0] ?? '',
        cells.slice(1).join(' ')
      ])
    );
    const specs = { ...actionYml.inputs, ...actionYml.outputs } as Record<string, { description?: string }>;
    const values: Record<string, readonly string[]> = {
      'expected-level': [...LEVELS, ...Object.values(ROLE_OF_LEVEL)],
      match: MATCH_MODES,
      result: RESULTS,
      level: [...LEVELS, 'unknown'],
      'fail-on-mismatch': ['false'],
      'alert-issue': ['true']
    };
    for (const [name, accepted] of Object.entries(values)) {
      for (const value of accepted) {
        const places: [string, string][] = [
          ['action.yml', specs[name]?.description ?? ''],
          ['README', rows[name] ?? '']
        ];
        for (const [where, text] of places) {
          expect({ name, where, value, named: text.includes(`\`${value}\``) }).toEqual({
            name,
            where,
            value,
            named: true
          });
        }
      }
    }
  });
});
