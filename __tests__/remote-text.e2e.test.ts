// What a server says is data: a key it echoes back reaches no channel, and its text is inert where
// GitHub renders it (the job summary and the alert issue). The bundle as the runner runs it.

import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { ECHOES, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { FAKE_GITHUB_TOKEN, annotations, runAction, withoutMaskCommand, type ActionRun } from './helpers/run-action.js';
import { expectVerdict, keyPiecesIn } from './helpers/assertions.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';
import { renderGfm } from './helpers/gfm.js';
import { describeWith } from './helpers/runtimes.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

// Not the demo keys: keys the emulator does not know, whose every answer is scripted.
const KEY = 'na1.echoMeIfYouDare7Q2xLk9PzR4vT8wY';
const OTHER = 'eu1.secondKeyOfTheBatch3Nf6Hj1Ks5Md';

let fullstory: Emulator;
let github: FakeGitHub;
beforeAll(async () => {
  fullstory = await startEmulator();
  github = await startFakeGitHub('acme/web');
});
afterAll(async () => {
  await Promise.all([fullstory.close(), github.close()]);
});
afterEach(() => {
  fullstory.reset();
  github.issues.length = 0;
  github.calls.length = 0;
  github.echoToken = false;
  github.override = undefined;
});

const ALERT_ENV = { GITHUB_API_URL: '', GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '7' };
function check(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    { 'api-url': fullstory.url, 'timeout-seconds': '5', 'alert-issue': 'true', ...inputs },
    { env: { ...ALERT_ENV, GITHUB_API_URL: github.url, ...env } }
  );
}

/** Every channel the action writes or posts, but the one command that masks each key. */
function channels(run: ActionRun): Record<string, string> {
  return {
    log: withoutMaskCommand(run.stdout),
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    files: withoutMaskCommand(run.everything),
    github: JSON.stringify(github.calls)
  };
}

function expectNoPieceOf(run: ActionRun, secrets: readonly string[]): void {
  for (const [channel, text] of Object.entries(channels(run))) {
    for (const secret of secrets)
      expect({ channel, pieces: keyPiecesIn(text, secret) }).toEqual({ channel, pieces: [] });
  }
}

describeWith({ node24: true, commands: ['cmark-gfm'] }, 'a key echoed by the server reaches no channel', () => {
  it.each(ECHOES)('a 200 whose role, orgId and email are %s', async (echo) => {
    fullstory.script({ status: 200, body: { role: echo, orgId: `o-${echo}`, email: `${echo}@example.com` } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'mismatch', 1);
    expectNoPieceOf(run, [KEY]);
    // What remains says what was there.
    expect(run.outputs.role).toContain('[redacted: na1 …T8wY]');
    expect(github.issues).toHaveLength(1);
  });

  it.each([401, 403])('a %i whose message echoes the key every way', async (status) => {
    fullstory.script({ status, body: { code: ECHOES.join(' '), message: ECHOES.join(' | ') } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'invalid-key', 1);
    expectNoPieceOf(run, [KEY]);
    expect(annotations(run.stdout)[0]!.message).toContain('[redacted: na1 …T8wY]');
  });

  it('a message long enough to be cut, with the key astride the cut', async () => {
    fullstory.script({ status: 401, body: { message: `${'x'.repeat(185)}{{key}}` } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectNoPieceOf(run, [KEY]);
  });

  it('a redirect whose Location carries the key', async () => {
    fullstory.script({ status: 302, headers: { location: 'https://evil.example/?k={{key}}&a={{authorization}}' } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expectNoPieceOf(run, [KEY]);
  });

  it('in a batch, one key echoing another: each is redacted by its own label', async () => {
    fullstory.script(
      { status: 200, body: { role: `USER ${OTHER}`, orgId: 'o-1', email: '' } },
      { status: 200, body: { role: 'USER', orgId: `o-${KEY}`, email: '' } }
    );
    const run = await check({ keys: 'FS_A: standard\nFS_B: standard' }, { FS_A: KEY, FS_B: OTHER });
    expectNoPieceOf(run, [KEY, OTHER]);
    const text = run.summary;
    expect(text).toContain('[redacted: eu1 …s5Md]');
    expect(text).toContain('[redacted: na1 …T8wY]');
  });

  it('a keys "name" that is a key pasted in its place, and not set, is never echoed', async () => {
    const pasted = 'Xk4Lm9Qp2Rs7Tv1Wy6Za3Bc8';
    const run = await check({ keys: `FS_A: standard\n${pasted}: admin` }, { FS_A: KEY });
    const names = (JSON.parse(run.outputs.results!) as { name: string }[]).map((key) => key.name);
    expect(names).toEqual(['FS_A', 'keys line 2']);
    expectNoPieceOf(run, [pasted]);
    expect(run.stdout).toContain(`::add-mask::${pasted}`);
  });

  it('a Retry-After that spells the digits of a key', async () => {
    const digits = 'na1.Q7x98765432109876Lm4';
    fullstory.script({ status: 429, headers: { 'retry-after': '98765432109876' } });
    const run = await check({ 'api-key': digits, 'expected-level': 'standard' });
    expectVerdict(run, 'error', 1);
    expectNoPieceOf(run, [digits]);
    // Nor does a number the server chose render where GitHub would link it.
    expect(renderGfm(run.summary).prose).toContain('asked to retry after more than an hour');
  });

  it('an input holding the key (expected-org-id): refused unquoted, before any request', async () => {
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard', 'expected-org-id': KEY });
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests).toHaveLength(0);
    expectNoPieceOf(run, [KEY]);
    expect(renderGfm(run.summary).prose).toContain(
      'expected-org-id is not valid (not shown: it may be a key). Write the org id Fullstory shows, such as o-1G1-na1, never a key.'
    );
  });

  it.each([
    ['an issue number that is the token', 'list'],
    ['a created issue whose number is the token', 'create'],
    ['a deprecation notice that quotes the token', 'deprecation'],
    ['an issue number that carries workflow commands', 'inject']
  ])("GitHub's API answering %s", async (_what, mode) => {
    github.override = ({ method, token }) => {
      const deprecated = {
        deprecation: 'true',
        sunset: token,
        link: `<https://x.example/${token}>; rel="deprecation"`
      };
      if (mode === 'list' && method === 'GET') {
        const issue = {
          number: token,
          title: 'Fullstory API key check is failing',
          labels: [{ name: 'fullstory-key-check' }]
        };
        return { status: 200, body: [issue] };
      }
      if (mode === 'create' && method === 'POST') return { status: 201, body: { number: token } };
      if (mode === 'deprecation')
        return {
          status: method === 'GET' ? 200 : 201,
          headers: deprecated,
          body: method === 'GET' ? [] : { number: 5 }
        };
      if (mode === 'inject' && method === 'POST') {
        return { status: 201, body: { number: '1.\n::error title=Injected::from the API\n::add-mask::Fullstory' } };
      }
      return undefined;
    };
    fullstory.script({ status: 200, body: { role: 'ADMIN', orgId: 'o-1', email: '' } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'mismatch', 1);
    for (const [channel, text] of Object.entries({ ...channels(run), github: '' })) {
      expect({ channel, pieces: keyPiecesIn(text, FAKE_GITHUB_TOKEN) }).toEqual({ channel, pieces: [] });
    }
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/^::(error title=Injected|add-mask::Fullstory)/m);
  });

  it("GitHub's API echoing the token: the warning names no token", async () => {
    github.echoToken = true;
    fullstory.script({ status: 200, body: { role: 'ADMIN', orgId: 'o-1', email: '' } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'mismatch', 1);
    const warning = annotations(run.stdout).find((note) => note.level === 'warning')!;
    expect(warning.message).toMatch(
      /^alert-issue: could not update the alert issue \(".*\[redacted: github-token\]"\)/
    );
    for (const text of Object.values({ ...channels(run), github: '' })) expect(text).not.toContain(FAKE_GITHUB_TOKEN);
  });
});

/** Text that comes alive on GitHub, unless kept a value. */
const ALIVE = [
  '<img src=x onerror=alert(1)>',
  '**bold** [link](https://evil.example)',
  '@octocat',
  '#2',
  'acme/web#1',
  'GH-3',
  'www.evil.example',
  'https://evil.example/phish',
  '0123456789abcdef0123456789abcdef01234567',
  '~~struck~~',
  '$y^2$',
  ':rocket:',
  '| forged | cells |',
  '`code`'
].join(' ');

describeWith({ node24: true, commands: ['cmark-gfm'] }, 'remote text is inert where GitHub renders it', () => {
  const inert = (markdown: string, rows: number) => {
    const rendered = renderGfm(markdown);
    expect(rendered.tables).toHaveLength(1);
    expect(rendered.tables[0]!.map((row) => row.length)).toEqual(Array.from({ length: rows + 1 }, () => 6));
    for (const alive of [
      '@octocat',
      '#2',
      '#1',
      'GH-3',
      'www.',
      'evil',
      'rocket',
      '0123456789abcdef',
      '~~',
      '$y',
      'forged',
      '<img'
    ]) {
      expect(rendered.prose).not.toContain(alive);
    }
    expect(rendered.code.some((code) => code.includes('@octocat'))).toBe(true);
    for (const tag of ['img', 'strong', 'del', 'script', 'em']) expect(rendered.tags).not.toContain(tag);
    return rendered;
  };

  /**
   * The summary without its last line, the alert issue's outcome, which is ours: a link to the
   * issue, from the run's variables, whose text (#1) GitHub would link anyway.
   */
  const withoutAlertLine = (summary: string) => {
    const line =
      /\nAlert issue\\: opened \[#1\]\(https:\/\/github\.com\/acme\/web\/issues\/1\)\\, as the check failed\\\.\n$/;
    expect(summary).toMatch(line);
    return summary.replace(line, '\n');
  };

  it.each(['role', 'orgId'])('in %s: the summary and the alert issue', async (field) => {
    fullstory.script({ status: 200, body: { role: 'USER', orgId: 'o-1', email: '', [field]: ALIVE } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard', 'expected-org-id': 'o-1' });
    expectVerdict(run, 'mismatch', 1);
    expect(inert(withoutAlertLine(run.summary), 1).links).toEqual([]);
    expect(inert(github.issues[0]!.body, 1).links).toEqual(['https://github.com/acme/web/actions/runs/7']);
  });

  it('in an error message', async () => {
    fullstory.script({ status: 401, body: { message: `${ALIVE}\n| a | b |\n|---|---|` } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'invalid-key', 1);
    inert(withoutAlertLine(run.summary), 1);
    inert(github.issues[0]!.body, 1);
  });

  it('a role of " USER" is quoted with its space, and is no level', async () => {
    fullstory.script({ status: 200, body: { role: ' USER', orgId: 'o-1', email: '' } });
    const run = await check({ 'api-key': KEY, 'expected-level': 'standard' });
    expectVerdict(run, 'mismatch', 1);
    expect(run.outputs.role).toBe(' USER');
    expect(annotations(run.stdout)[0]!.message).toContain(
      'the key\'s role is " USER", which is not a key permission level'
    );
    expect(renderGfm(run.summary).tables[0]![1]![2]).toBe('" USER"');
  });
});
