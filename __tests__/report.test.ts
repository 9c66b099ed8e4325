import { describe, expect, it } from '@jest/globals';
import { ISSUE_MAX_BYTES, SUMMARY_MAX_BYTES, fitted, headline, report } from '../src/report.js';
import { judge } from '../src/verdict.js';
import { policyOf, unchecked, type Checked } from '../src/check.js';
import type { MeOutcome } from '../src/verdict.js';
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
const summaryMarkdown = (settings: Settings, checked: Checked[], maxBytes?: number) =>
  fitted(report(settings, checked), maxBytes);

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

describe('headline: the verdict first, in words', () => {
  const as = (role: string): MeOutcome => ({ kind: 'answered', me: { role, orgId: 'o-1', email: '' }, attempts: 1 });
  const env = {
    FS_A: 'na1.aKey0000000000000000000001',
    FS_B: 'na1.bKey0000000000000000000002',
    FS_C: 'na1.cKey000000000000000000003'
  };
  const said = (failOnMismatch: string, roles: string[]) => {
    const settings = settingsFrom(
      {
        keys: roles.map((_role, i) => `FS_${'ABC'[i]!}: standard`).join('\n'),
        'fail-on-mismatch': failOnMismatch
      },
      env
    );
    return headline(settings, checkedOf(settings, roles.map(as)));
  };

  it.each([
    ['true', ['USER', 'USER', 'USER'], '✅ Fullstory API key check: 3 of 3 keys match (result: match)'],
    ['true', ['USER', 'ADMIN', 'USER'], '❌ Fullstory API key check: 1 of 3 keys failed (result: mismatch)'],
    [
      'false',
      ['USER', 'ADMIN', 'USER'],
      '✅ Fullstory API key check: 2 of 3 keys match, 1 mismatch allowed by fail-on-mismatch (result: mismatch)'
    ],
    [
      'false',
      ['USER', 'ADMIN', 'ADMIN'],
      '✅ Fullstory API key check: 1 of 3 keys match, 2 mismatches allowed by fail-on-mismatch (result: mismatch)'
    ],
    [
      'false',
      ['ADMIN'],
      '✅ Fullstory API key check: the key does not match, as fail-on-mismatch allows (result: mismatch)'
    ]
  ])('fail-on-mismatch %s, roles %j: %s', (failOnMismatch, roles, expected) => {
    expect(said(failOnMismatch, roles)).toBe(expected);
  });
});

describe('the advice under the table', () => {
  it('tells a key that passes at-least with more privilege than asked for to give way to a key of least privilege', () => {
    const settings = settingsFrom({
      'api-key': 'na1.ingestKey000000000000000001',
      'expected-level': 'standard',
      match: 'at-least'
    });
    const answered: MeOutcome = { kind: 'answered', me: { role: 'ADMIN', orgId: 'o-1', email: '' }, attempts: 1 };
    const rendered = renderGfm(summaryMarkdown(settings, checkedOf(settings, [answered])));
    expect(rendered.tables[0]![1]![5]).toBe('⚠️ match (over-privileged)');
    expect(rendered.prose).toMatch(/The key has more privilege than this check asks for/);
  });
});

describe('summaryMarkdown within the size limits of GitHub', () => {
  // 1,000 keys (the most a step takes), each answered with the longest values a server can make
  // show: over GitHub's 1024 KiB for a summary, and far over 65,536 characters for an issue.
  const names = Array.from({ length: 1000 }, (_, i) => `FS_KEY_${String(i).padStart(4, '0')}`);
  const settings = settingsFrom(
    { keys: names.map((name) => `${name}: standard`).join('\n') },
    Object.fromEntries(names.map((name, i) => [name, `na1.key${String(i).padStart(24, '0')}`]))
  );
  const hostile = '|\u{e0001}'.repeat(400);
  const failing = new Set([3, 500, 998]);
  const checked = checkedOf(
    settings,
    names.map((_name, i) => ({
      kind: 'answered',
      me: { role: failing.has(i) ? `ADMIN${hostile}` : 'USER', orgId: hostile, email: '' },
      attempts: 1
    }))
  );

  it('the alert issue stays within 65,536 characters, keeps every failing key, and says how many are left out', () => {
    const markdown = summaryMarkdown(settings, checked, ISSUE_MAX_BYTES);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(ISSUE_MAX_BYTES);
    const rendered = renderGfm(markdown);
    expect(rendered.tables).toHaveLength(1);
    const rows = rendered.tables[0]!.slice(1);
    expect(rows.every((row) => row.length === 6)).toBe(true);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThan(1000);
    const listed = rows.map((row) => row[0]!.split(' ')[0]!);
    // Failing keys are the last to be left out; the rows stay in the order of the keys input.
    expect(listed.filter((name) => failing.has(names.indexOf(name)))).toEqual([
      'FS_KEY_0003',
      'FS_KEY_0500',
      'FS_KEY_0998'
    ]);
    expect(listed).toEqual([...listed].sort());
    expect(rendered.prose).toContain(
      `${1000 - rows.length} of 1000 keys are not listed here (${1000 - rows.length} of them match): GitHub limits the size of this report. The step's results output lists every key.`
    );
  });

  it('the job summary stays within 1024 KiB when every key fails with the longest problem a server can make', () => {
    const withOrg = settingsFrom(
      { keys: names.map((name) => `${name}: standard`).join('\n'), 'expected-org-id': 'o-1' },
      Object.fromEntries(names.map((name, i) => [name, `na1.key${String(i).padStart(24, '0')}`]))
    );
    const all = checkedOf(
      withOrg,
      names.map(() => ({ kind: 'answered', me: { role: `ADMIN${hostile}`, orgId: hostile, email: '' }, attempts: 1 }))
    );
    const whole = summaryMarkdown(withOrg, all, Number.POSITIVE_INFINITY);
    expect(Buffer.byteLength(whole)).toBeGreaterThan(1024 * 1024);
    const markdown = summaryMarkdown(withOrg, all);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    const rendered = renderGfm(markdown);
    const rows = rendered.tables[0]!.slice(1);
    expect(rows.map((row) => row[0]!.split(' ')[0]!)).toEqual(names.slice(0, rows.length));
    expect(rendered.prose).toContain(`${1000 - rows.length} of 1000 keys are not listed here (0 of them match)`);
  });

  it('the alert issue leaves GitHub room for the sentence, the run and the marker around the table', () => {
    // alert.ts puts under 1,000 characters around it; GitHub refuses a body over 65,536 characters,
    // which UTF-8 bytes never undercount.
    expect(Buffer.byteLength(summaryMarkdown(settings, checked, ISSUE_MAX_BYTES)) + 1000).toBeLessThanOrEqual(65_536);
  });

  it('counts its budget in UTF-8 bytes, which a character outside ASCII takes 3 of', () => {
    const row = (i: number) => ({ index: i, matches: false, row: `| ${'€'.repeat(15_000)} |`, problems: [] });
    const markdown = fitted({ header: ['| a |', '|---|'], entries: [row(0), row(1)] }, 60_000);
    expect(markdown.length).toBeLessThan(60_000);
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(60_000);
    expect(markdown).toContain('1 of 2 keys are not listed here');
  });

  it('is the whole table when it fits', () => {
    const few = checked.slice(0, 20);
    const markdown = summaryMarkdown(settings, few);
    expect(renderGfm(markdown).tables[0]).toHaveLength(21);
    expect(markdown).not.toContain('not listed here');
  });
});
