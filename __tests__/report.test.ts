import { describe, expect, it } from '@jest/globals';
import { describeKey, summaryRows } from '../src/report.js';
import { judge } from '../src/verdict.js';
import { parseSettings, type RawInputs } from '../src/inputs.js';

const KEY = 'eu1.abcdefghijklmnopqrstuvwxyz1234';
const settings = (overrides: Partial<RawInputs> = {}) =>
  parseSettings({
    'api-key': KEY,
    'expected-level': 'standard',
    match: '',
    'expected-org-id': '',
    'fail-on-mismatch': '',
    'api-url': '',
    'timeout-seconds': '',
    'max-attempts': '',
    ...overrides
  });

describe('describeKey', () => {
  it.each([
    ['na1.abcdefghijklmnopqrstuvwxyz', 'na1 …wxyz'],
    ['eu1.abcdefghijklmnopqrstuvwxyz', 'eu1 …wxyz'],
    ['legacyKeyWithoutRealm0000009876', '…9876'],
    ['na1.short', 'na1 …'],
    ['tiny', '…']
  ])('%s → %s', (key, described) => expect(describeKey(key)).toBe(described));

  it('never shows more than the realm and 4 characters', () => {
    expect(describeKey(KEY).replace(/[^a-z0-9]/g, '')).toBe('eu11234');
  });
});

describe('summaryRows', () => {
  it('has the key, org, role, level, expectation and verdict, without the email', () => {
    const s = settings({ match: 'at-least', 'expected-org-id': 'o-1' });
    const rows = summaryRows(s, judge(s, { kind: 'answered', me: { role: 'ADMIN', orgId: 'o-1', email: 'me@example.com' }, attempts: 1 }));
    expect(rows).toEqual([
      ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'],
      ['eu1 …1234', 'o-1', 'ADMIN', 'admin', 'standard (at-least), org o-1', '✅ match']
    ]);
  });

  it('marks what is missing when /me did not answer', () => {
    const s = settings();
    expect(summaryRows(s, judge(s, { kind: 'rejected', reason: 'no', attempts: 1 }))[1]).toEqual([
      'eu1 …1234', '—', '—', '—', 'standard (exact)', '❌ invalid key'
    ]);
    expect(summaryRows(s, judge(s, { kind: 'failed', reason: 'no', attempts: 3 }))[1]![5]).toBe('❌ could not verify');
  });

  it('shows an allowed mismatch as such', () => {
    const s = settings({ 'fail-on-mismatch': 'false' });
    const rows = summaryRows(s, judge(s, { kind: 'answered', me: { role: 'ADMIN', orgId: 'o', email: '' }, attempts: 1 }));
    expect(rows[1]![5]).toBe('⚠️ mismatch (allowed)');
  });

  it('escapes every cell that came from the API', () => {
    const s = settings();
    const rows = summaryRows(s, judge(s, { kind: 'answered', me: { role: '</td><script>', orgId: 'a|b\nc', email: '' }, attempts: 1 }));
    expect(rows[1]!.slice(1, 3)).toEqual(['a&#124;b c', '&lt;/td&gt;&lt;script&gt;']);
  });
});
