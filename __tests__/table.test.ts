import { describe, expect, it } from '@jest/globals';
import { describeKey } from '../src/keys.js';
import { tableRow } from '../src/table.js';
import { judge } from '../src/verdict.js';
import { policyOf, type Checked } from '../src/check.js';
import type { MeOutcome } from '../src/verdict.js';
import type { Settings } from '../src/inputs.js';
import { settingsFrom } from './helpers/settings.js';
import { asText } from '../src/text.js';

const row = (settings: Settings, checked: Checked) => tableRow(settings, checked).map(asText);

const KEY = 'eu1.abcdefghijklmnopqrstuvwxyz1234';
const checkedOf = (settings: Settings, outcome: MeOutcome, index = 0): Checked => {
  const key = settings.keys[index]!;
  return {
    key,
    verdict: judge(policyOf(settings, key), outcome),
    attempts: 1
  };
};
const answered = (role: string, orgId: string): MeOutcome => ({
  kind: 'answered',
  me: { role, orgId, email: 'me@example.com' },
  attempts: 1
});

describe('describeKey', () => {
  it.each([
    ['na1.abcdefghijklmnopqrstuvwxyz', 'na1 …wxyz'],
    ['eu1.abcdefghijklmnopqrstuvwxyz', 'eu1 …wxyz'],
    ['legacyKeyWithoutRealm0000009876', '…9876'],
    ['na1.short', 'na1 …'],
    // From 16 characters on, the last 4 are shown: fewer would give away too much of a short one.
    ['na1.abcdefghijkl', 'na1 …ijkl'],
    ['na1.abcdefghijk', 'na1 …'],
    ['tiny', '…']
  ])('%s → %s', (key, described) => expect(describeKey(key)).toBe(described));

  it('never shows more than the realm and 4 characters', () => {
    expect(describeKey(KEY).replace(/[^a-z0-9]/g, '')).toBe('eu11234');
  });
});

describe('tableRow', () => {
  it('has the key, org, role, level, expectation and verdict, without the email', () => {
    const settings = settingsFrom({
      'api-key': KEY,
      'expected-level': 'standard',
      match: 'at-least',
      'expected-org-id': 'o-1'
    });
    expect(row(settings, checkedOf(settings, answered('ADMIN', 'o-1')))).toEqual([
      'eu1 …1234',
      '"o-1"',
      '"ADMIN"',
      'admin',
      'standard (at-least), org "o-1"',
      '⚠️ match (over-privileged)'
    ]);
    expect(row(settings, checkedOf(settings, answered('USER', 'o-1')))[5]).toBe('✅ match');
    // An answer without an org shows none, not an empty value.
    expect(row(settings, checkedOf(settings, answered('USER', '')))[1]).toBe('—');
  });

  it("shows each key's own org in Expected, and expected-org-id for a line without one", () => {
    const settings = settingsFrom(
      { keys: 'FS_STAGING: standard o-STAGING-na1\nFS_PROD: standard', 'expected-org-id': 'o-PROD-na1' },
      { FS_STAGING: KEY, FS_PROD: 'na1.abcdefghijklmnopqrstuvwxyz5678' }
    );
    const staging = checkedOf(settings, answered('USER', 'o-STAGING-na1'), 0);
    const prod = checkedOf(settings, answered('USER', 'o-STAGING-na1'), 1);
    expect(row(settings, staging).slice(4)).toEqual(['standard (exact), org "o-STAGING-na1"', '✅ match']);
    expect(row(settings, prod).slice(4)).toEqual(['standard (exact), org "o-PROD-na1"', '❌ mismatch']);
  });

  it('names a batch key by its variable', () => {
    const settings = settingsFrom({ keys: 'FS_PRIVACY: admin\nFS_GONE: admin' }, { FS_PRIVACY: KEY });
    expect(row(settings, checkedOf(settings, answered('ADMIN', 'o-1')))[0]).toBe('FS_PRIVACY (eu1 …1234)');
    expect(
      row(
        settings,
        checkedOf(settings, { kind: 'failed', reason: ['x'], cause: { kind: 'server' }, attempts: 0 }, 1)
      )[0]
    ).toBe('FS_GONE (not set)');
  });

  it('marks what is missing when /me did not answer', () => {
    const settings = settingsFrom({ 'api-key': KEY, 'expected-level': 'standard' });
    expect(row(settings, checkedOf(settings, { kind: 'rejected', reason: ['no'], attempts: 1 }))).toEqual([
      'eu1 …1234',
      '—',
      '—',
      '—',
      'standard (exact)',
      '❌ invalid key'
    ]);
    expect(
      row(settings, checkedOf(settings, { kind: 'failed', reason: ['no'], cause: { kind: 'server' }, attempts: 3 }))[5]
    ).toBe('❌ could not verify');
  });

  it('shows an allowed mismatch as such', () => {
    const settings = settingsFrom({ 'api-key': KEY, 'expected-level': 'standard', 'fail-on-mismatch': 'false' });
    expect(row(settings, checkedOf(settings, answered('ADMIN', 'o')))[5]).toBe('⚠️ mismatch (allowed)');
  });
});
