import { describe, expect, it } from '@jest/globals';
import { summaryMarkdown } from '../src/report.js';
import { judge } from '../src/verdict.js';
import { policyOf, unchecked, type Checked } from '../src/check.js';
import type { MeOutcome } from '../src/fullstory.js';
import type { Settings } from '../src/inputs.js';
import { settingsFrom } from './helpers/settings.js';
import { renderGfm } from './helpers/gfm.js';

const checkedOf = (settings: Settings, outcomes: MeOutcome[]): Checked[] =>
  settings.keys.map((key, i) => ({
    key,
    verdict: key.problem ? unchecked(key.problem) : judge(policyOf(settings, key), outcomes[i]!),
    attempts: 1
  }));

const HEADER = ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'];

describe('summaryMarkdown, as GitHub renders it', () => {
  it('is a table with a row per key, then each problem by key name', () => {
    const settings = settingsFrom(
      { keys: 'FS_INGEST: standard\nFS_PRIVACY: admin\nFS_GONE: architect' },
      { FS_INGEST: 'na1.ingestKey000000000000000001', FS_PRIVACY: 'eu1.privacyKey00000000000000002' }
    );
    const rendered = renderGfm(
      summaryMarkdown(
        settings,
        checkedOf(settings, [
          { kind: 'answered', me: { role: 'USER', orgId: 'o-1', email: 'a@example.com' }, attempts: 1 },
          { kind: 'answered', me: { role: 'ARCHITECT', orgId: 'o-1', email: 'b@example.com' }, attempts: 1 }
        ])
      )
    );
    expect(rendered.tables).toEqual([
      [
        HEADER,
        ['FS_INGEST (na1 …0001)', 'o-1', 'USER', 'standard', 'standard (exact)', '✅ match'],
        ['FS_PRIVACY (eu1 …0002)', 'o-1', 'ARCHITECT', 'architect', 'admin (exact)', '❌ mismatch'],
        ['FS_GONE (not set)', '—', '—', '—', 'architect (exact)', '❌ not checked: fix the input']
      ]
    ]);
    expect(rendered.code).toEqual(['o-1', 'USER', 'o-1', 'ARCHITECT']);
    expect(rendered.prose).toMatch(/FS_PRIVACY: expected exactly Admin \(role ADMIN\), but the key is Architect/);
    expect(rendered.prose).toMatch(/FS_GONE: FS_GONE is not set or is empty/);
    expect(rendered.html).not.toMatch(/@example\.com/);
  });

  it('keeps every value from the API inside <code>, so that no row can be broken or forged and nothing comes alive', () => {
    const settings = settingsFrom({ 'api-key': 'na1.key00000000000000000000', 'expected-level': 'standard' });
    const role = '</td><script>alert(1)</script> @octocat #1 www.evil.example';
    const orgId = 'a|b\n| forged | row | :rocket: 0123456789abcdef0123456789abcdef01234567 ~~x~~ $y$';
    const rendered = renderGfm(
      summaryMarkdown(
        settings,
        checkedOf(settings, [{ kind: 'answered', me: { role, orgId, email: '' }, attempts: 1 }])
      )
    );
    expect(rendered.tables).toHaveLength(1);
    expect(rendered.tables[0]![1]).toEqual([
      'na1 …0000',
      JSON.stringify(orgId), // a line break: quoted, to be seen
      role, // plain: bare in its code span
      'unknown',
      'standard (exact)',
      '❌ mismatch'
    ]);
    // In the table and again in the problem below it, and nowhere outside <code>.
    expect(rendered.code).toEqual([JSON.stringify(orgId), role, JSON.stringify(role)]);
    for (const alive of ['@octocat', '#1', 'www.', 'rocket', '0123456789abcdef', '~~', '$y$', '<script>', 'forged']) {
      expect(rendered.prose).not.toContain(alive);
    }
    expect(rendered.links).toEqual([]);
    expect(rendered.tags).not.toContain('script');
  });
});
