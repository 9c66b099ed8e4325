import { describe, expect, it } from '@jest/globals';
import { changelogSection } from '../script/release-notes.mjs';

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.1.0] - 2026-12-01

### Fixed

- One thing.

## [1.0.0] - 2026-11-30

- The first.
`;

describe('changelogSection', () => {
  it('is the body of the version’s section, up to the next one', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('### Fixed\n\n- One thing.');
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('- The first.');
  });

  it('is nothing for a version the changelog does not have, so that no release goes out without notes', () => {
    expect(changelogSection(CHANGELOG, '1.2.0')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '1.0')).toBeUndefined();
  });
});
