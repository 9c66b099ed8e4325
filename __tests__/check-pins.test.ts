import { describe, expect, it } from '@jest/globals';
import { pinProblems } from '../script/check-pins.mjs';

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';

describe('pinProblems', () => {
  it('accepts a full SHA with its exact version, this repository, and the examples’ placeholder', () => {
    const text = [
      `      - uses: actions/checkout@${SHA} # v7.0.1`,
      `      - uses: github/codeql-action/init@${SHA} # v4.36.2`,
      '        uses: ./',
      '        uses: OWNER/fullstory-key-check@v1'
    ].join('\n');
    expect(pinProblems(text, 'ci.yml')).toEqual([]);
  });

  it.each([
    ['a tag', 'uses: actions/checkout@v7', 'is not pinned to a full commit SHA'],
    ['a branch', 'uses: actions/checkout@main', 'is not pinned to a full commit SHA'],
    ['a short SHA', 'uses: actions/checkout@3d3c42e # v7.0.1', 'is not pinned to a full commit SHA'],
    ['no comment', `uses: actions/checkout@${SHA}`, 'needs its exact version'],
    ['a major-only comment', `uses: actions/checkout@${SHA} # v7`, 'needs its exact version'],
    ['a comment that is no version', `uses: actions/checkout@${SHA} # latest`, 'needs its exact version'],
    ['a docker image by tag', 'uses: docker://alpine:3', 'is not pinned by its image digest']
  ])('refuses %s', (_what, line, problem) => {
    const problems = pinProblems(`steps:\n  - ${line}\n`, 'x.yml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^x\\.yml:2: .*${problem}`));
  });
});
