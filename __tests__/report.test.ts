import { describe, expect, it } from '@jest/globals';
import { summaryMarkdown } from '../src/report.js';
import { judge } from '../src/verdict.js';
import type { Checked } from '../src/check.js';
import type { MeOutcome } from '../src/fullstory.js';
import type { Settings } from '../src/inputs.js';
import { settingsFrom } from './helpers/settings.js';

const checkedOf = (settings: Settings, outcomes: MeOutcome[]): Checked[] =>
  settings.keys.map((key, i) => ({
    key,
    verdict: key.problem
      ? { result: 'error', problems: [key.problem], overPrivileged: false }
      : judge(
          { expectedLevel: key.expectedLevel, match: settings.match, expectedOrgId: settings.expectedOrgId },
          outcomes[i]!
        ),
    attempts: 1
  }));

describe('summaryMarkdown', () => {
  it('is a Markdown table with a row per key, then each problem by key name', () => {
    const settings = settingsFrom(
      { keys: 'FS_INGEST: standard\nFS_PRIVACY: admin\nFS_GONE: architect' },
      { FS_INGEST: 'na1.ingestKey000000000000000001', FS_PRIVACY: 'eu1.privacyKey00000000000000002' }
    );
    const markdown = summaryMarkdown(
      settings,
      checkedOf(settings, [
        { kind: 'answered', me: { role: 'USER', orgId: 'o-1', email: 'a@example.com' }, attempts: 1 },
        { kind: 'answered', me: { role: 'ARCHITECT', orgId: 'o-1', email: 'b@example.com' }, attempts: 1 }
      ])
    );
    const lines = markdown.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '| Key | Org | Role | Level | Expected | Verdict |',
      '|---|---|---|---|---|---|',
      '| FS&#95;INGEST (na1 …0001) | o-1 | USER | standard | standard (exact) | ✅ match |',
      '| FS&#95;PRIVACY (eu1 …0002) | o-1 | ARCHITECT | architect | admin (exact) | ❌ mismatch |',
      '| FS&#95;GONE ((empty)) | — | — | — | architect (exact) | ❌ could not verify |'
    ]);
    expect(lines[6]).toMatch(/^- FS&#95;PRIVACY: expected exactly Admin \(role ADMIN\), but the key is Architect/);
    expect(lines[7]).toMatch(/^- FS&#95;GONE: FS&#95;GONE is not set or is empty/);
    expect(markdown).not.toMatch(/@example\.com/);
  });

  it('escapes every cell that came from the API, so no row can be broken or forged', () => {
    const settings = settingsFrom({ 'api-key': 'na1.key00000000000000000000', 'expected-level': 'standard' });
    const markdown = summaryMarkdown(
      settings,
      checkedOf(settings, [
        { kind: 'answered', me: { role: '</td><script>', orgId: 'a|b\n| forged | row |', email: '' }, attempts: 1 }
      ])
    );
    expect(markdown.split('\n')[2]).toBe(
      '| na1 …0000 | a&#124;b &#124; forged &#124; row &#124; | &lt;/td&gt;&lt;script&gt; | unknown | standard (exact) | ❌ mismatch |'
    );
  });
});
