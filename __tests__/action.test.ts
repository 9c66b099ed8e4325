// The action's source, run in this process as the runner runs its bundle (helpers/run-in-process.ts:
// INPUT_* variables, the real @actions/core, the GITHUB_* files), against the local Fullstory
// emulator. action.e2e.test.ts runs the committed bundle itself on Node 24.

import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/fullstory-emulator.mjs';
import { useEmulator } from './helpers/emulator.js';
import { annotations, withoutMaskCommand, type ActionRun } from './helpers/action-run.js';
import { runInProcess as runAction } from './helpers/run-in-process.js';
import { KEY, expectNoLeak, expectVerdict, identity, repeat } from './helpers/assertions.js';
import { renderGfm } from './helpers/gfm.js';
import { describeWith, type Requirement } from './helpers/runtimes.js';

const fullstory = useEmulator();
/** The blocks that read the summary as GitHub renders it. */
const RENDERED: Requirement = { commands: ['cmark-gfm'] };

function check(inputs: Record<string, string>, env?: Record<string, string>): Promise<ActionRun> {
  return runAction({ 'api-url': fullstory.url, 'timeout-seconds': '5', ...inputs }, { env });
}

describe('levels × modes', () => {
  const levels = ['standard', 'architect', 'admin'] as const;
  const roles = ['USER', 'ARCHITECT', 'ADMIN'] as const;
  const cases = roles.flatMap((role, have) =>
    levels.flatMap((level, want) =>
      (['exact', 'at-least'] as const).map((match) => {
        const ok = match === 'exact' ? have === want : have >= want;
        return { role, level, match, ok, over: ok && have > want };
      })
    )
  );

  it.each(cases)('a $role key, expecting $match $level: match=$ok', async ({ role, level, match, ok, over }) => {
    const key = KEY[role];
    const run = await check({ 'api-key': key, 'expected-level': level, match });
    expectVerdict(run, ok ? 'match' : 'mismatch', ok ? 0 : 1);
    expect(run.outputs).toMatchObject({
      role,
      level: ['standard', 'architect', 'admin'][roles.indexOf(role)],
      'org-id': identity(key).orgId,
      email: identity(key).email
    });
    const notes = annotations(run.stdout);
    if (ok) {
      expect(notes.filter((note) => note.level === 'error')).toEqual([]);
      expect(notes.some((note) => note.level === 'warning' && /more privilege/.test(note.message))).toBe(over);
    } else {
      expect(notes).toContainEqual(
        expect.objectContaining({
          level: 'error',
          title: 'Fullstory API key mismatch',
          message: expect.stringMatching(/Settings > Integrations > API Keys/)
        })
      );
      expect(notes[0]!.message).toContain(`(role ${role})`);
    }
    expectNoLeak(run, key);
  });
});

describe('what is sent', () => {
  it('sends the key as Basic {key}, unencoded, with a User-Agent naming the action and version', async () => {
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'match', 0);
    expect(fullstory.requests).toHaveLength(1);
    const [request] = fullstory.requests;
    expect(request!.method).toBe('GET');
    expect(request!.path).toBe('/me');
    expect(request!.headers.authorization).toBe(`Basic ${KEY.USER}`);
    expect(request!.headers['user-agent']).toMatch(/^fullstory-key-check\/\d+\.\d+\.\d+/);
  });

  it('trims a key pasted with surrounding whitespace and masks it first', async () => {
    const run = await check({ 'api-key': `  ${KEY.ADMIN}\n`, 'expected-level': 'ADMIN' });
    expectVerdict(run, 'match', 0);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${KEY.ADMIN}`);
    expectNoLeak(run, KEY.ADMIN);
  });

  it('accepts the API role names and any case for expected-level', async () => {
    for (const level of ['USER', 'Standard', 'user']) {
      const run = await check({ 'api-key': KEY.USER, 'expected-level': level });
      expectVerdict(run, 'match', 0);
    }
  });

  it('keeps a path prefix in api-url, with or without a trailing slash', async () => {
    const proxied = await startEmulator({ prefix: '/fullstory/v1' });
    try {
      for (const url of [proxied.url, `${proxied.url}/`]) {
        const run = await runAction({ 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': url });
        expectVerdict(run, 'match', 0);
      }
      expect(proxied.requests.map((request) => request.path)).toEqual(['/fullstory/v1/me', '/fullstory/v1/me']);
    } finally {
      await proxied.close();
    }
  });
  it('reaches an IPv6 loopback api-url, [::1]', async () => {
    const ipv6 = await startEmulator({ host: '::1' });
    try {
      const run = await runAction({ 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': ipv6.url });
      expectVerdict(run, 'match', 0);
      expect(ipv6.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect(ipv6.requests).toHaveLength(1);
    } finally {
      await ipv6.close();
    }
  });
});

describe('org', () => {
  it('matches when the key belongs to expected-org-id', async () => {
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'expected-org-id': 'o-DEMO-na1' });
    expectVerdict(run, 'match', 0);
  });

  it('fails when the key belongs to another org, even at the right level', async () => {
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'expected-org-id': 'o-PROD-na1' });
    expectVerdict(run, 'mismatch', 1);
    expect(run.outputs['org-id']).toBe('o-DEMO-na1');
    expect(annotations(run.stdout)[0]!.message).toMatch(
      /expected org "o-PROD-na1", but the key belongs to org "o-DEMO-na1"/
    );
  });
});

describeWith(RENDERED, 'fail-on-mismatch: false', () => {
  it('reports a mismatch as a warning and passes', async () => {
    const run = await check({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'fail-on-mismatch': 'false' });
    expectVerdict(run, 'mismatch', 0);
    expect(run.outputs.role).toBe('ADMIN');
    const notes = annotations(run.stdout);
    expect(notes.map((note) => note.level)).toEqual(['warning']);
    expect(renderGfm(run.summary).tables[0]![1]![5]).toBe('⚠️ mismatch (allowed)');
  });

  it('still fails on an invalid key', async () => {
    const run = await check({
      'api-key': 'na1.Rv8Kq20000000000000000',
      'expected-level': 'standard',
      'fail-on-mismatch': 'false'
    });
    expectVerdict(run, 'invalid-key', 1);
  });

  it('still fails when the key cannot be verified', async () => {
    fullstory.script({ status: 503 }, { status: 503 });
    const run = await check({
      'api-key': KEY.USER,
      'expected-level': 'standard',
      'fail-on-mismatch': 'false',
      'max-attempts': '2'
    });
    expectVerdict(run, 'error', 1);
  });
});

describeWith(RENDERED, 'roles outside the three levels fail closed', () => {
  it.each(['UNKNOWN', 'VIEW_ONLY', 'UMBRELLA_MANAGER', 'SUPER_ADMIN', 'admin', ''])('role %j', async (role) => {
    fullstory.script({ status: 200, body: { email: 'someone@example.com', orgId: 'o-1', role } });
    const run = await check({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', match: 'at-least' });
    expectVerdict(run, 'mismatch', 1);
    expect(run.outputs).toMatchObject({ role, level: 'unknown', 'org-id': 'o-1', email: 'someone@example.com' });
    expect(annotations(run.stdout)[0]!.message).toContain(`role is ${JSON.stringify(role)}`);
    expect(run.stdout).not.toContain('someone@example.com');
  });

  it('even with fail-on-mismatch: false, which allows only a verified level', async () => {
    fullstory.script({ status: 200, body: { email: '', orgId: 'o-1', role: 'VIEW_ONLY' } });
    const run = await check({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'fail-on-mismatch': 'false' });
    expectVerdict(run, 'mismatch', 1);
    expect(annotations(run.stdout).map((note) => note.level)).toEqual(['error']);
    expect(renderGfm(run.summary).tables[0]![1]![5]).toBe('❌ mismatch');
  });
});

describe('answers that cannot verify a key', () => {
  it.each([401, 403])('HTTP %i is invalid-key, never retried', async (status) => {
    fullstory.script({ status, body: { code: 'unauthorized', message: 'nope' } });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'invalid-key', 1);
    expect(fullstory.requests).toHaveLength(1);
    expect(run.outputs.role).toBeUndefined();
    expect(annotations(run.stdout)[0]).toMatchObject({ level: 'error', title: 'Fullstory API key rejected' });
    expect(annotations(run.stdout)[0]!.message).toContain(`HTTP ${status}: "nope"`);
  });

  it('an unknown key gets the emulator’s real 401', async () => {
    const key = 'na1.Nk4Pw7Yt2Hs9Qv000000000';
    const run = await check({ 'api-key': key, 'expected-level': 'standard' });
    expectVerdict(run, 'invalid-key', 1);
    expectNoLeak(run, key);
  });

  it.each([201, 204, 400, 404, 418])('HTTP %i is an error, never retried', async (status) => {
    fullstory.script({
      status,
      body: status === 204 ? undefined : { role: 'USER', orgId: 'o', email: 'x@example.com' }
    });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests).toHaveLength(1);
    expect(run.outputs.role).toBeUndefined();
  });

  it.each([
    ['not JSON', '<html>maintenance</html>'],
    ['truncated JSON', '{"role": "US'],
    ['a JSON array', '[{"role":"USER"}]'],
    ['JSON null', 'null'],
    ['no role', '{"orgId":"o-1"}'],
    ['a numeric role', '{"role": 3}'],
    ['a null role', '{"role": null}']
  ])('a 200 with %s is an error, never a match', async (_what, body) => {
    fullstory.script({ status: 200, body });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expect(run.outputs.role).toBeUndefined();
    expect(annotations(run.stdout)[0]!.title).toBe('Fullstory API key could not be verified');
  });

  it.each([
    ['with a Content-Length', {}],
    ['chunked', { chunked: true }]
  ])('a body over 64 KiB (%s) is an error, not read whole', async (_what, extra) => {
    const body = JSON.stringify({ role: 'USER', orgId: 'o', email: 'e', pad: 'x'.repeat(1024 * 1024) });
    fullstory.script({ status: 200, body, ...extra });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/larger than 64 KiB/);
  });

  it.each([
    ['with a Content-Length', {}],
    ['chunked', { chunked: true }]
  ])('a body of 64 KiB exactly (%s) is read; a byte more is not', async (_what, extra) => {
    const sized = (bytes: number) => {
      const bare = JSON.stringify({ role: 'USER', orgId: 'o', email: 'e@example.com', pad: '' });
      return JSON.stringify({ role: 'USER', orgId: 'o', email: 'e@example.com', pad: 'x'.repeat(bytes - bare.length) });
    };
    expect(sized(64 * 1024)).toHaveLength(65_536);
    fullstory.script({ status: 200, body: sized(64 * 1024), ...extra });
    expectVerdict(await check({ 'api-key': KEY.USER, 'expected-level': 'standard' }), 'match', 0);
    fullstory.script({ status: 200, body: sized(64 * 1024 + 1), ...extra });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/larger than 64 KiB/);
  });
});

describe('retries', () => {
  it('waits Retry-After seconds on 429, then succeeds', async () => {
    fullstory.script({ status: 429, headers: { 'retry-after': '1' } });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'match', 0);
    const [first, second] = fullstory.requests;
    expect(fullstory.requests).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('stops at once when Retry-After does not fit in timeout-seconds', async () => {
    fullstory.script({ status: 429, headers: { 'retry-after': '120' } });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'timeout-seconds': '30' });
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests).toHaveLength(1);
    expect(annotations(run.stdout)[0]!.message).toMatch(
      /HTTP 429.*retry after 120 s, more than is left of timeout-seconds/
    );
    // It gave up instead of sleeping: far less than either the wait or the budget.
    expect(run.ms).toBeLessThan(20_000);
  });

  it('reports a rate limit that outlasts the budget as an error: 429s are waited out, not counted as attempts', async () => {
    fullstory.script(...repeat(20, { status: 429, headers: { 'retry-after': '0' } }));
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'timeout-seconds': '3' });
    expectVerdict(run, 'error', 1);
    // More requests than max-attempts (3), yet no hammering: the pace halves at every 429.
    expect(fullstory.requests.length).toBeGreaterThan(3);
    expect(fullstory.requests.length).toBeLessThanOrEqual(6);
    expect(annotations(run.stdout)[0]!.message).toMatch(
      /no answer within timeout-seconds \(3 s, \d attempts\)\. The last failure: Fullstory rate-limited the check \(HTTP 429\)/
    );
  });

  it('backs off on 5xx and succeeds on a later attempt', async () => {
    fullstory.script({ status: 500 }, { status: 502 });
    const run = await check({ 'api-key': KEY.ARCHITECT, 'expected-level': 'architect' });
    expectVerdict(run, 'match', 0);
    expect(fullstory.requests).toHaveLength(3);
  });

  it('makes at most max-attempts requests', async () => {
    fullstory.script(...repeat(5, { status: 503 }));
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'max-attempts': '2' });
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests).toHaveLength(2);
    expect(annotations(run.stdout)[0]!.message).toMatch(/after 2 attempts: Fullstory answered HTTP 503/);
  });

  it.each(['before-headers', 'after-headers', 'mid-body'])('retries a connection reset %s', async (reset) => {
    fullstory.script({ status: 200, body: identity(KEY.USER), reset });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'match', 0);
    expect(fullstory.requests).toHaveLength(2);
  });

  it('reports a server that keeps resetting as an error', async () => {
    fullstory.script(...repeat(3, { reset: 'before-headers' }));
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/could not reach 127\.0\.0\.1:\d+: ECONNRESET/);
  });

  it('reports a refused connection as an error', async () => {
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const run = await runAction({
      'api-key': KEY.USER,
      'expected-level': 'standard',
      'api-url': url,
      'max-attempts': '2'
    });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/ECONNREFUSED/);
  });
});

describe('the time budget holds', () => {
  const budget = 1;
  // Node's start and the runner's bookkeeping: the check itself must end within the budget.
  const margin = 1500;

  it('against a server that accepts and never answers', async () => {
    fullstory.script(...repeat(3, { hang: true }));
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'timeout-seconds': String(budget) });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/no answer within timeout-seconds \(1 s/);
    expect(run.ms).toBeLessThan(budget * 1000 + margin);
  });

  it('against a server that drips its body a byte at a time', async () => {
    fullstory.script({ status: 200, body: identity(KEY.USER), drip: { intervalMs: 200 } });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'timeout-seconds': String(budget) });
    expectVerdict(run, 'error', 1);
    expect(run.ms).toBeLessThan(budget * 1000 + margin);
  });

  it('against a server that drips even its headers', async () => {
    fullstory.script({ status: 200, body: identity(KEY.USER), dripHeaders: { intervalMs: 200 } });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard', 'timeout-seconds': String(budget) });
    expectVerdict(run, 'error', 1);
    expect(run.ms).toBeLessThan(budget * 1000 + margin);
  });

  it('while backing off from server errors', async () => {
    fullstory.script(...repeat(10, { status: 503, delayMs: 600 }));
    const run = await check({
      'api-key': KEY.USER,
      'expected-level': 'standard',
      'timeout-seconds': String(budget),
      'max-attempts': '10'
    });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/The last failure: Fullstory answered HTTP 503/);
    expect(run.ms).toBeLessThan(budget * 1000 + margin);
  });
});

describe('redirects', () => {
  it.each([301, 302, 307, 308])('HTTP %i is an error, and the key reaches no other server', async (status) => {
    const elsewhere = await startEmulator();
    try {
      fullstory.script({ status, headers: { location: `${elsewhere.url}/me` } });
      const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
      expectVerdict(run, 'error', 1);
      expect(elsewhere.requests).toHaveLength(0);
      expect(fullstory.requests).toHaveLength(1);
      expect(annotations(run.stdout)[0]!.message).toMatch(
        new RegExp(`redirect \\(HTTP ${status} to ".*/me"\\), which was not followed`)
      );
    } finally {
      await elsewhere.close();
    }
  });
});

describeWith(RENDERED, 'bad inputs: one clear message naming the input, and no request', () => {
  const valid = { 'api-key': KEY.USER, 'expected-level': 'standard' };
  it.each([
    ['api-key', { 'api-key': '' }, /api-key is empty.*forks.*Dependabot/],
    ['api-key', { 'api-key': '   \n' }, /api-key is empty/],
    ['api-key', { 'api-key': 'na1.abc def' }, /api-key contains spaces/],
    ['expected-level', { 'expected-level': '' }, /expected-level is required with api-key: standard, architect, admin/],
    ['expected-level', { 'expected-level': 'owner' }, /expected-level "owner" is not valid/],
    [
      'expected-level',
      { 'expected-level': 'standrad' },
      /expected-level "standrad" is not valid\. Did you mean standard\? Use one of standard, architect, admin/
    ],
    ['match', { match: 'minimum' }, /match "minimum" is not valid. Use exact or at-least/],
    ['fail-on-mismatch', { 'fail-on-mismatch': 'no' }, /fail-on-mismatch "no" is not valid. Use true or false/],
    [
      'api-url',
      { 'api-url': 'http://api.fullstory.com' },
      /api-url "http:\/\/api.fullstory.com" is not allowed: .*https:\/\//
    ],
    ['api-url', { 'api-url': 'ftp://127.0.0.1/' }, /api-url .* is not allowed/],
    ['api-url', { 'api-url': 'not a url' }, /api-url "not a url" is not a URL/],
    ['api-url', { 'api-url': 'https://user:pw@api.fullstory.com' }, /api-url must not contain a user name or password/],
    ['api-url', { 'api-url': 'https://api.fullstory.com/?x=1' }, /api-url .* must not have a query string/],
    [
      'timeout-seconds',
      { 'timeout-seconds': '0' },
      /timeout-seconds "0" is not valid. Use a number of seconds greater than 0/
    ],
    ['timeout-seconds', { 'timeout-seconds': 'ten' }, /timeout-seconds "ten" is not valid/],
    ['timeout-seconds', { 'timeout-seconds': '99999' }, /timeout-seconds "99999" is not valid/],
    ['max-attempts', { 'max-attempts': '0' }, /max-attempts "0" is not valid. Use a whole number from 1 to 10/],
    ['max-attempts', { 'max-attempts': '2.5' }, /max-attempts "2.5" is not valid/]
  ])('%s: %j', async (_name, bad, message) => {
    const run = await check({ ...valid, ...bad });
    expect(run.code).toBe(1);
    const notes = annotations(run.stdout);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(message);
    expect(fullstory.requests).toHaveLength(0);
    // Still a verdict where a step after it looks: result error, and a summary that says why.
    expect(run.outputs).toEqual({ result: 'error', matches: 'false' });
    const summary = renderGfm(run.summary);
    expect(summary.prose).toMatch(/No key was checked: the inputs are not valid\./);
    expect(summary.text.replace(/\s+/g, ' ')).toMatch(message);
    expectNoLeak(run, KEY.USER);
  });

  it('lists every bad input at once', async () => {
    const run = await check({ 'api-key': '', 'expected-level': 'x', 'max-attempts': '0' });
    expect(run.code).toBe(1);
    const [note] = annotations(run.stdout);
    expect(note!.message.split('\n').map((line) => line.split(' ')[0])).toEqual([
      'api-key',
      'expected-level',
      'max-attempts'
    ]);
  });
});

describeWith(RENDERED, 'job summary, as GitHub renders it', () => {
  it('is a heading and a table with the realm and last 4 characters of the key, never the key or the email', async () => {
    const run = await check({ 'api-key': KEY.ADMIN, 'expected-level': 'admin' });
    expectVerdict(run, 'match', 0);
    const rendered = renderGfm(run.summary);
    expect(rendered.tags.slice(0, 2)).toEqual(['h3', 'table']);
    expect(rendered.tables).toEqual([
      [
        ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'],
        ['eu1 …0003', 'o-DEMO-eu1', 'ADMIN', 'admin', 'admin (exact)', '✅ match']
      ]
    ]);
    expect(rendered.code).toEqual(['o-DEMO-eu1', 'ADMIN']);
    expectNoLeak(run, KEY.ADMIN);
  });

  it('keeps every value that came from the API inside <code>', async () => {
    fullstory.script({
      status: 200,
      body: {
        role: '<img src=x onerror=alert(1)>|',
        orgId: '| o | `x` [a](http://evil)\n::warning::injected',
        email: 'e@example.com'
      }
    });
    const run = await check({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expectVerdict(run, 'mismatch', 1);
    const rendered = renderGfm(run.summary);
    expect(rendered.tables[0]![1]!.slice(1, 3)).toEqual([
      JSON.stringify('| o | `x` [a](http://evil)\n::warning::injected'),
      '<img src=x onerror=alert(1)>|'
    ]);
    expect(rendered.tags).not.toContain('img');
    expect(rendered.links).toEqual([]);
    expect(rendered.prose).not.toMatch(/img|evil|injected/);
    // A newline from the API never starts a line of its own: no injected workflow command.
    expect(run.stdout).not.toMatch(/^::warning::injected/m);
    expect(run.outputs.role).toBe('<img src=x onerror=alert(1)>|');
  });

  it('a summary that cannot be written does not change the verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-key-summary-'));
    for (const [summaryFile, key, level, result, code] of [
      [dir, KEY.USER, 'standard', 'match', 0],
      [join(dir, 'missing', 'summary.md'), KEY.USER, 'admin', 'mismatch', 1]
    ] as const) {
      const run = await runAction(
        { 'api-key': key, 'expected-level': level, 'api-url': fullstory.url },
        { summaryFile }
      );
      expectVerdict(run, result, code);
      expect(annotations(run.stdout)).toContainEqual(
        expect.objectContaining({ level: 'warning', message: expect.stringMatching(/Could not write the job summary/) })
      );
    }
  });
});

describe('nothing leaks, even with debug logging', () => {
  it.each([
    ['a match', [] as object[]],
    ['a retried 5xx', [{ status: 500, body: { message: 'boom' } }]],
    ['a 401', [{ status: 401, body: { code: 'unauthorized', message: 'bad key' } }]]
  ])('%s', async (_what, script) => {
    fullstory.script(...script);
    const run = await check({ 'api-key': KEY.ARCHITECT, 'expected-level': 'architect' }, { RUNNER_DEBUG: '1' });
    expect(run.stdout).toContain('::debug::');
    expectNoLeak(run, KEY.ARCHITECT);
  });
});

describe('proxy variables', () => {
  // api-url must not be loopback for http-client to use a proxy; nothing reaches it either way.
  const remote = { 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': 'https://api.fullstory.test' };

  // Redacting `user`, in any case, took USER out of every Standard key's answer; `a` garbled `result`.
  it.each(['user', 'a'])(
    'a proxy user and password shorter than a key (%s) are no secret: no verdict and no output changes',
    async (userinfo) => {
      const proxy = `http://${userinfo}@proxy.example:3128`;
      // A loopback api-url goes around the proxy; its variables are read all the same.
      const run = await check(
        { 'api-key': KEY.USER, 'expected-level': 'standard' },
        { HTTP_PROXY: proxy, HTTPS_PROXY: proxy }
      );
      expectVerdict(run, 'match', 0);
      expect(run.outputs).toMatchObject({ role: 'USER', level: 'standard', 'org-id': identity(KEY.USER).orgId });
      expect(run.everything).not.toContain('redacted');
      expect(run.stdout).not.toContain(`::add-mask::${userinfo}`);
    }
  );

  it('a proxy URL whose password holds an unencoded / is refused before the key is sent, and never shown', async () => {
    const run = await runAction(remote, { env: { https_proxy: 'http://alice:s3cr3t/pw@127.0.0.1:9' } });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(
      /^Key na1 …0001: https_proxy has a \/, \?, # or \\ in its user name or password that is not percent-encoded/
    );
    for (const secret of ['alice', 's3cr3t']) expect(withoutMaskCommand(run.everything)).not.toContain(secret);
  });

  it('a proxy URL with a backslash in its user name (CORP\\jdoe), which a URL parser reads as a /, is refused too', async () => {
    const run = await runAction(remote, {
      env: { https_proxy: 'http://127.0.0.1:9\\CORP\\jdoe:s3cr3tpw@127.0.0.1:10' }
    });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(
      /https_proxy has a \/, \?, # or \\ in its user name or password/
    );
    // How to write the backslash is said too.
    expect(annotations(run.stdout)[0]!.message).toContain('\\ as %5C');
    for (const secret of ['jdoe', 's3cr3tpw'])
      expect(run.everything.replace(/::add-mask::.*/g, '')).not.toContain(secret);
  });

  it('a proxy that cannot be reached is named by host and port only, never with its user and password', async () => {
    const run = await runAction(
      { ...remote, 'max-attempts': '1' },
      { env: { HTTPS_PROXY: 'http://alice:s3cr3tpassword@127.0.0.1:9' } }
    );
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(
      /could not reach api\.fullstory\.test through the proxy 127\.0\.0\.1:9: ECONN(REFUSED|RESET)/
    );
    // Masked for the runner (the one command allowed to carry it), and nowhere else.
    expect(run.stdout).toContain('::add-mask::alice:s3cr3tpassword');
    for (const secret of ['alice', 's3cr3t']) expect(withoutMaskCommand(run.everything)).not.toContain(secret);
  });
});
