// The module structure of src/: no import circles (type imports included), and a CLI that carries
// none of the runner's libraries. Imports are read with TypeScript's own scanner.

import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/action-yml.js';

const SRC = join(ROOT, 'src');

/** Each module of src/ and what it imports: `./x.js` as `x`, packages as they are named. */
function graph(): Map<string, string[]> {
  const modules = new Map<string, string[]>();
  for (const file of readdirSync(SRC).filter((name) => name.endsWith('.ts'))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
    modules.set(
      file.replace(/\.ts$/, ''),
      importedFiles.map(({ fileName }) => fileName.replace(/^\.\/(.*)\.js$/, '$1'))
    );
  }
  return modules;
}

/** Every circle of imports, as the path that closes it. */
function circles(modules: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      found.push([...path.slice(path.indexOf(name)), name]);
      return;
    }
    state.set(name, 'open');
    for (const next of modules.get(name) ?? []) if (modules.has(next)) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of modules.keys()) visit(name, []);
  return found;
}

/** What `entry` reaches, itself included. */
function reach(modules: Map<string, string[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const next of modules.get(name) ?? []) walk(next);
  };
  walk(entry);
  return seen;
}

describe('src/', () => {
  const modules = graph();

  it('reads the imports it should (the check of this test)', () => {
    expect(modules.get('check')).toEqual(expect.arrayContaining(['inputs', 'keys', 'fullstory', 'limiter', 'verdict']));
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']]
        ])
      )
    ).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('has no import circles, type imports included', () => {
    expect(circles(modules)).toEqual([]);
  });

  it('gives the CLI none of the runner libraries: no @actions/core, @actions/github, exec or io', () => {
    const cli = [...reach(modules, 'cli-entry')];
    expect(cli).toContain('fullstory');
    expect(
      cli.filter(
        (name) =>
          name.startsWith('@actions/') && name !== '@actions/http-client' && !name.startsWith('@actions/http-client/')
      )
    ).toEqual([]);
  });

  it('reads the runner only in main and runner: every other module takes what it needs', () => {
    const readers = [...modules].filter(([, imports]) => imports.includes('@actions/core')).map(([name]) => name);
    expect(readers).toEqual(['runner']);
  });
});
