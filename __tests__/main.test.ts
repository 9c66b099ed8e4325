// The action's orchestration (main.ts) in this process: the real settings, HTTP client, check,
// report and alert issue, against the emulator and a fake GitHub on loopback, with a runner that
// records what the action writes. What only a bundle can show (the runner's file and command
// formats, signals, TLS, proxies) is in the *.e2e tests.

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpClientFetch, updateAlertIssue } from '../src/alert.js';
import { createLogger } from '../src/logger.js';
import { run } from '../src/main.js';
import { secrets } from '../src/redact.js';
import { useEmulator } from './helpers/emulator.js';
import { KEY, identity, keyPiecesIn } from './helpers/assertions.js';
import { startFakeGitHub, type FakeGitHub, type FakeIssue } from './helpers/fake-github.js';
import { recordingRunner, type RecordingRunner } from './helpers/runner.js';
import { renderGfm } from './helpers/gfm.js';
import { describeWith } from './helpers/runtimes.js';
import { VirtualClock } from '../script/virtual-clock.js';

const fullstory = useEmulator();
afterEach(() => secrets.clear());

async function action(
  inputs: Record<string, string>,
  options: {
    env?: Record<string, string>;
    runner?: Parameters<typeof recordingRunner>[1];
    alertTimeoutMs?: number;
  } = {}
): Promise<RecordingRunner> {
  const runner = recordingRunner({ 'api-url': fullstory.url, ...inputs }, options.runner);
  await run({ runner, env: options.env ?? {}, alertTimeoutMs: options.alertTimeoutMs ?? 5000 });
  return runner;
}

/** No piece of the key anywhere the action wrote; no creator's email anywhere but the `email` output. */
function expectNoLeak(runner: RecordingRunner, key: string): void {
  const { email, ...others } = runner.outputs;
  const written = runner.everything().replace(`email=${email}`, '');
  expect(keyPiecesIn(written, key)).toEqual([]);
  for (const demo of Object.values(KEY)) expect(written).not.toContain(identity(demo).email);
  expect(JSON.stringify(others)).not.toContain('@example.com');
}

describe('one key', () => {
  it('a match: outputs, a log line, a summary, the key masked first and shown only by realm and last 4', async () => {
    const runner = await action({ 'api-key': KEY.USER, 'expected-level': 'standard' });
    expect(runner.failed).toBe(false);
    expect(runner.secrets).toEqual([KEY.USER]);
    expect(runner.outputs).toEqual({
      result: 'match',
      matches: 'true',
      results: JSON.stringify([
        { name: 'api-key', role: 'USER', level: 'standard', matches: true, result: 'match', 'org-id': 'o-DEMO-na1' }
      ]),
      role: 'USER',
      level: 'standard',
      'org-id': 'o-DEMO-na1',
      email: 'ingest-bot@example.com'
    });
    expect(runner.log).toContain(
      '✅ Key na1 …0001 has role "USER" in org "o-DEMO-na1": it matches exactly Standard (role USER).'
    );
    expect(runner.annotations).toEqual([]);
    expect(runner.summary).toContain(
      '| na1 …0001 | `o-DEMO-na1` | `USER` | standard | standard \\(exact\\) | ✅ match |'
    );
    expectNoLeak(runner, KEY.USER);
  });

  it('keeps the email out of outputs that go to the log (no GITHUB_OUTPUT)', async () => {
    const runner = await action(
      { 'api-key': KEY.USER, 'expected-level': 'standard' },
      { runner: { outputsArePrivate: false } }
    );
    expect(runner.outputs.role).toBe('USER');
    expect(runner.outputs).not.toHaveProperty('email');
  });

  it('a mismatch fails the step with an annotation that says what to do', async () => {
    const runner = await action({ 'api-key': KEY.ADMIN, 'expected-level': 'standard' });
    expect(runner.failed).toBe(true);
    expect(runner.outputs).toMatchObject({ result: 'mismatch', matches: 'false', role: 'ADMIN', level: 'admin' });
    expect(runner.annotations).toEqual([
      {
        level: 'error',
        title: 'Fullstory API key mismatch',
        message:
          'Key eu1 …0003 does not match: expected exactly Standard (role USER), but the key is Admin (role ADMIN). Create a key of level Standard under Settings > Integrations > API Keys and update the secret.'
      }
    ]);
    expectNoLeak(runner, KEY.ADMIN);
  });

  it('a mismatch the workflow allows (fail-on-mismatch: false) warns, and the step passes', async () => {
    const runner = await action({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'fail-on-mismatch': 'false' });
    expect(runner.failed).toBe(false);
    expect(runner.outputs.result).toBe('mismatch');
    expect(
      runner.annotations.map((a) => [
        a.level,
        a.message.endsWith('(The step passes because fail-on-mismatch is false.)')
      ])
    ).toEqual([['warning', true]]);
  });

  it('a role outside the three levels never passes, even with fail-on-mismatch: false', async () => {
    const runner = await action({
      'api-key': 'na1.b3Rj8Tn5Wy2Kp7Mx9Gq4Zd6Hs1Lf0004',
      'expected-level': 'standard',
      'fail-on-mismatch': 'false'
    });
    expect(runner.failed).toBe(true);
    expect(runner.outputs).toMatchObject({ result: 'mismatch', level: 'unknown', role: 'VIEW_ONLY' });
  });

  it('an over-privileged key under at-least passes with a warning that names least privilege', async () => {
    const runner = await action({ 'api-key': KEY.ADMIN, 'expected-level': 'architect', match: 'at-least' });
    expect(runner.failed).toBe(false);
    expect(runner.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Fullstory API key is over-privileged' })
    ]);
    expect(runner.annotations[0]!.message).toContain('(least privilege)');
  });

  it('a revoked key is invalid-key, with where to make a new one', async () => {
    const revoked = 'na1.Rv8Kq2Zx5Wm00000000000000000000000000099';
    const runner = await action({ 'api-key': revoked, 'expected-level': 'standard' });
    expect(runner.failed).toBe(true);
    expect(runner.outputs).toEqual({
      result: 'invalid-key',
      matches: 'false',
      results: expect.stringContaining('"result":"invalid-key"') as unknown as string
    });
    expect(runner.annotations).toEqual([
      {
        level: 'error',
        title: 'Fullstory API key rejected',
        message:
          'Key na1 …0099: Fullstory could not verify the key (HTTP 401: "The API key could not be verified."): it is wrong or has been revoked. Check the secret\'s value, or create a new key under Settings > Integrations > API Keys.'
      }
    ]);
    expectNoLeak(runner, revoked);
  });

  it('no answer within timeout-seconds is an error, and the report is still written', async () => {
    fullstory.script({ hang: true });
    const runner = await action({ 'api-key': KEY.USER, 'expected-level': 'standard', 'timeout-seconds': '0.3' });
    expect(runner.failed).toBe(true);
    expect(runner.outputs.result).toBe('error');
    expect(runner.annotations[0]!.message).toMatch(/no answer within timeout-seconds \(0\.3 s, 1 attempt\)/);
    expect(runner.summary).toContain('❌ could not verify');
  });

  it('a summary that cannot be written only warns: the verdict stands', async () => {
    const runner = await action(
      { 'api-key': KEY.USER, 'expected-level': 'standard' },
      { runner: { summary: 'fails' } }
    );
    expect(runner.failed).toBe(false);
    expect(runner.outputs.result).toBe('match');
    expect(runner.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^Could not write the job summary/) as unknown as string
      })
    ]);
  });
});

describe('inputs that are not valid', () => {
  it('check no key, and say so in the outputs, one annotation and the summary', async () => {
    const runner = await action({ 'api-key': '', 'expected-level': 'adminn' });
    expect(runner.failed).toBe(true);
    expect(runner.outputs).toEqual({ result: 'error', matches: 'false' });
    expect(runner.annotations).toHaveLength(1);
    expect(runner.annotations[0]!.message.split('\n')).toEqual([
      expect.stringMatching(/^api-key is empty\./),
      expect.stringMatching(/^expected-level "adminn" is not valid\. Did you mean admin\?/)
    ]);
    expect(runner.summary).toContain('No key was checked: the inputs are not valid.');
    expect(fullstory.requests).toEqual([]);
  });
});

describe('several keys', () => {
  it('checks each, says which variable is missing, and reports the worst', async () => {
    const runner = await action(
      { keys: 'FS_INGEST: standard\nFS_EXPORT: architect\nFS_GONE: admin' },
      { env: { FS_INGEST: KEY.USER, FS_EXPORT: KEY.ADMIN } }
    );
    expect(runner.failed).toBe(true);
    expect(runner.secrets).toEqual([KEY.USER, KEY.ADMIN]);
    expect(runner.outputs.result).toBe('error');
    expect(JSON.parse(runner.outputs.results!)).toEqual([
      expect.objectContaining({ name: 'FS_INGEST', result: 'match', matches: true }),
      expect.objectContaining({ name: 'FS_EXPORT', result: 'mismatch', matches: false }),
      expect.objectContaining({ name: 'FS_GONE', result: 'error', role: null, matches: false })
    ]);
    expect(runner.outputs).not.toHaveProperty('role');
    expect(runner.annotations.map((a) => a.title)).toEqual([
      'Fullstory API key mismatch: FS_EXPORT',
      'Fullstory API key not checked: FS_GONE'
    ]);
    expect(runner.log[0]).toBe(
      `Checking 3 Fullstory API keys at ${fullstory.url}/me: FS_INGEST: exactly standard, FS_EXPORT: exactly architect, FS_GONE: exactly admin.`
    );
    expect(fullstory.requests).toHaveLength(2);
    expectNoLeak(runner, KEY.USER);
    expectNoLeak(runner, KEY.ADMIN);
  });
});

describe('the alert issue', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub('acme/shop');
  });
  afterEach(() => {
    github.issues.length = 0;
    github.calls.length = 0;
    github.forbid = false;
    github.override = undefined;
  });
  afterAll(() => github.close());
  const env = (workflow = 'nightly', job = 'key-health') => ({
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: github.url,
    GITHUB_RUN_ID: '42',
    GITHUB_WORKFLOW: workflow,
    GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/${workflow}.yml@refs/heads/main`,
    GITHUB_JOB: job
  });

  it('opens on a failure, is commented on by the next, and is closed by a healthy run', async () => {
    await action({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'alert-issue': 'true' }, { env: env() });
    expect(github.issues).toEqual([
      expect.objectContaining({
        number: 1,
        title: 'Fullstory API key check is failing: nightly / key-health',
        state: 'open'
      })
    ]);
    expect(github.issues[0]!.body).toContain('The Fullstory API key check failed (mismatch) in [run 42]');
    await action({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'alert-issue': 'true' }, { env: env() });
    expect(github.issues[0]!.comments).toHaveLength(1);
    const healthy = await action(
      { 'api-key': KEY.USER, 'expected-level': 'standard', 'alert-issue': 'true' },
      { env: env() }
    );
    expect(github.issues[0]!.state).toBe('closed');
    expect(healthy.log).toContain('Closed alert issue #1: the keys are healthy again.');
    expect(github.calls.map((call) => call.body).join('\n')).not.toContain(KEY.ADMIN.slice(4, 20));
  });

  const failing = { 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'alert-issue': 'true' };
  const healthy = { 'api-key': KEY.USER, 'expected-level': 'standard', 'alert-issue': 'true' };
  /** The marker of the check whose parts (workflow file, job, check-name) are these, space-separated. */
  const marker = (id: string) => `<!-- fullstory-key-check: ${id.split(' ').map(encodeURIComponent).join(' ')} -->`;
  const seed = (issue: Partial<FakeIssue> & { number: number }) =>
    github.issues.push({
      title: 'x',
      body: '',
      labels: ['fullstory-key-check'],
      state: 'open',
      comments: [],
      ...issue
    });

  it('belongs to its check: a healthy run of another workflow never closes it', async () => {
    await action(failing, { env: env('prod-key-health') });
    const healthyOther = await action(healthy, { env: env('staging-key-health') });
    expect(github.issues).toEqual([expect.objectContaining({ number: 1, state: 'open', comments: [] })]);
    expect(github.issues[0]!.body).toContain(marker('.github/workflows/prod-key-health.yml key-health'));
    expect(healthyOther.log.join('\n')).not.toMatch(/alert issue/);
    await action(healthy, { env: env('prod-key-health') });
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('tells apart the legs of a matrix by check-name', async () => {
    await action({ ...failing, 'check-name': 'prod' }, { env: env() });
    await action({ ...failing, 'check-name': 'staging' }, { env: env() });
    expect(github.issues.map((issue) => [issue.number, issue.title])).toEqual([
      [1, 'Fullstory API key check is failing: nightly / key-health / prod'],
      [2, 'Fullstory API key check is failing: nightly / key-health / staging']
    ]);
    await action({ ...healthy, 'check-name': 'staging' }, { env: env() });
    expect(github.issues.map((issue) => issue.state)).toEqual(['open', 'closed']);
  });

  it('is found on any page and under any title a person gave it', async () => {
    for (let number = 1; number <= 150; number += 1) seed({ number, title: `other ${number}` });
    seed({ number: 151, title: 'investigating', body: `old\n\n${marker('.github/workflows/nightly.yml key-health')}` });
    for (let number = 152; number <= 260; number += 1) seed({ number, title: `other ${number}` });
    await action(failing, { env: env() });
    expect(github.issues).toHaveLength(260);
    expect(github.issues[150]!.comments).toHaveLength(1);
    const lists = github.calls.filter((call) => call.call === 'GET /repos/acme/shop/issues');
    expect(lists.length).toBe(3);
    await action(healthy, { env: env() });
    expect(github.issues[150]!.state).toBe('closed');
  });

  it('is no longer the check’s once a person removes its marker: a new one is opened', async () => {
    seed({ number: 1, title: 'Fullstory API key check is failing: nightly / key-health', body: 'marker removed' });
    await action(failing, { env: env() });
    expect(github.issues.map((issue) => [issue.number, issue.state, issue.comments.length])).toEqual([
      [1, 'open', 0],
      [2, 'open', 0]
    ]);
  });

  it('an issue opened by an earlier version (label and title, no marker) is taken over, not duplicated', async () => {
    seed({ number: 7, title: 'Fullstory API key check is failing', body: 'The Fullstory API key check failed' });
    await action(failing, { env: env() });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toHaveLength(1);
    expect(github.issues[0]!.body).toContain(marker('.github/workflows/nightly.yml key-health'));
    await action(healthy, { env: env() });
    expect(github.issues[0]!.state).toBe('closed');
  });

  it('runs of one check at once leave one issue open: the newer ones are closed as duplicates of the oldest', async () => {
    await Promise.all([1, 2, 3].map(() => action(failing, { env: env() })));
    const open = github.issues.filter((issue) => issue.state === 'open');
    expect(open.map((issue) => issue.number)).toEqual([1]);
    for (const closed of github.issues.filter((issue) => issue.state === 'closed')) {
      expect(closed.state_reason).toBe('not_planned');
      expect(closed.comments.at(-1)).toMatch(/^Duplicate of #1: one alert issue per check\./);
    }
  });

  it('a run that finds duplicates left open closes the newer ones', async () => {
    const id = marker('.github/workflows/nightly.yml key-health');
    seed({ number: 4, body: id });
    seed({ number: 9, body: id });
    await action(failing, { env: env() });
    expect(github.issues.map((issue) => [issue.number, issue.state, issue.comments.length])).toEqual([
      [4, 'open', 1],
      [9, 'closed', 1]
    ]);
  });

  it('a locked issue leads to a new one that links it', async () => {
    seed({ number: 3, locked: true, body: marker('.github/workflows/nightly.yml key-health') });
    const runner = await action(failing, { env: env() });
    expect(github.issues.map((issue) => [issue.number, issue.state])).toEqual([
      [3, 'open'],
      [2, 'open']
    ]);
    expect(github.issues[1]!.body).toMatch(/^Alert issue #3 is locked, so this one carries on from it\./);
    expect(runner.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });

  it('opens no alert issue where NODE_DEBUG is refused: Node would print its request, the token among it', async () => {
    const runner = await action(failing, { env: { ...env(), NODE_DEBUG: 'net' } });
    expect(runner.outputs.result).toBe('error');
    expect(runner.annotations[0]!.message).toMatch(/Unset NODE_DEBUG for this step/);
    expect(github.calls).toEqual([]);
  });

  it('alerts on inputs that are not valid too: a deleted secret', async () => {
    const runner = await action({ ...failing, 'api-key': '' }, { env: env() });
    expect(runner.outputs.result).toBe('error');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.body).toContain('No key was checked: the inputs are not valid.');
    expect(github.issues[0]!.body).toContain('The Fullstory API key check failed (error)');
  });

  it.each([
    [401, /github-token was refused \(HTTP 401\)/],
    [404, /GitHub answered 404 for this repository's issues: the token cannot see the repository/],
    [410, /issues are turned off in this repository \(HTTP 410\)/]
  ])('GitHub answering %i gets advice that fits it', async (status, said) => {
    github.override = () => ({ status, body: { message: 'no' } });
    const runner = await action(failing, { env: env() });
    expect(runner.outputs.result).toBe('mismatch');
    expect(runner.annotations.at(-1)).toEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(said) as unknown as string })
    );
  });

  it('makes at most 10 connection attempts, spaced by a backoff that fits in its 30 s', async () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    const runner = recordingRunner({});
    await clock.run(
      updateAlertIssue({
        logger: createLogger(runner),
        token: 'ghs_x',
        result: 'error',
        table: '',
        env: env(),
        clock,
        timeoutMs: 30_000,
        checkName: '',
        fetch: () => {
          at.push(clock.now());
          return Promise.reject(new TypeError('fetch failed'));
        }
      })
    );
    expect(at).toEqual([0, 50, 150, 350, 750, 1550, 2350, 3150, 3950, 4750]);
    expect(runner.annotations.at(-1)!.message).toMatch(/could not connect to GitHub's API in 10 attempts/);
  });

  it('cannot be taken by another check through text a server sent: a marker counts on a line of its own', async () => {
    const otherMarker = marker('.github/workflows/staging.yml key-health');
    fullstory.script({ status: 200, body: { role: otherMarker, orgId: 'o-1', email: '' } });
    await action(failing, { env: env('prod') });
    expect(github.issues[0]!.body).toContain(otherMarker);
    await action(healthy, { env: env('staging') });
    expect(github.issues).toEqual([expect.objectContaining({ number: 1, state: 'open' })]);
  });

  it('keeps apart workflow files with an @ in their names, and parts that would join alike', async () => {
    const at = (file: string) => ({
      ...env(),
      GITHUB_WORKFLOW_REF: `acme/shop/.github/workflows/${file}@refs/heads/main`
    });
    await action(failing, { env: at('keys@prod.yml') });
    await action(healthy, { env: at('keys@staging.yml') });
    expect(github.issues.map((issue) => issue.state)).toEqual(['open']);
    await action({ ...failing, 'check-name': 'x k' }, { env: { ...env('a'), GITHUB_JOB: 'j' } });
    await action({ ...failing, 'check-name': 'k' }, { env: { ...env('a'), GITHUB_JOB: 'j x' } });
    expect(github.issues).toHaveLength(3);
  });

  it('an earlier version’s issue, once taken over, is retitled: its marker removed, it is no one’s', async () => {
    seed({ number: 7, title: 'Fullstory API key check is failing', body: 'old' });
    await action(failing, { env: env('prod') });
    expect(github.issues[0]!.title).toBe('Fullstory API key check is failing: prod / key-health');
    github.issues[0]!.body = 'a person removed the marker';
    await action(healthy, { env: env('staging') });
    expect(github.issues[0]!.state).toBe('open');
  });

  it('closes many duplicates and still posts its report', async () => {
    const id = marker('.github/workflows/nightly.yml key-health');
    for (let number = 1; number <= 7; number += 1) seed({ number, body: id });
    const runner = await action(failing, { env: env() });
    expect(github.issues.map((issue) => issue.state)).toEqual(['open', ...Array.from({ length: 6 }, () => 'closed')]);
    expect(github.issues[0]!.comments).toHaveLength(1);
    expect(runner.annotations.filter((a) => a.level === 'warning')).toEqual([]);
  });

  it.each([
    [403, 'You have exceeded a secondary rate limit', /rate limit for github-token was exceeded/],
    [403, 'Unable to create comment because issue is locked.', /was locked while this run updated it/],
    [410, 'This issue was deleted', /was deleted while this run updated it/]
  ])('GitHub answering %i "%s" is not mistaken for a permission problem', async (status, said, advised) => {
    github.override = ({ method }) => (method === 'GET' ? undefined : { status, body: { message: said } });
    seed({ number: 1, body: marker('.github/workflows/nightly.yml key-health') });
    const runner = await action(failing, { env: env() });
    expect(runner.annotations.at(-1)!.message).toMatch(advised);
    expect(runner.annotations.at(-1)!.message).not.toMatch(/permissions: issues: write/);
  });

  it('reads at most 4 MiB of an answer from GitHub, and says it was no answer about issues', async () => {
    github.override = () => ({ status: 200, body: Buffer.alloc(5 * 1024 * 1024, 0x20) });
    const runner = await action(failing, { env: env() });
    expect(runner.outputs.result).toBe('mismatch');
    expect(runner.annotations.at(-1)!.message).toMatch(/GitHub's API answered with something other than issues/);
  });

  it('a GitHub that never answers: a warning once its own budget is spent, and the verdict stands', async () => {
    const hung = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
      const started = performance.now();
      const runner = await action(
        { 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'alert-issue': 'true' },
        { env: { ...env(), GITHUB_API_URL: url }, alertTimeoutMs: 300 }
      );
      expect(performance.now() - started).toBeLessThan(5000);
      expect(runner.outputs.result).toBe('mismatch');
      expect(runner.failed).toBe(true);
      expect(runner.annotations.at(-1)).toEqual(
        expect.objectContaining({
          level: 'warning',
          message: expect.stringMatching(/^alert-issue: GitHub's API did not answer within 0\.3 s/) as unknown as string
        })
      );
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });

  it('a token that may not write issues: a warning naming the permission, and the verdict stands', async () => {
    github.forbid = true;
    const runner = await action(
      { 'api-key': KEY.USER, 'expected-level': 'standard', 'alert-issue': 'true' },
      { env: env() }
    );
    expect(runner.failed).toBe(false);
    expect(runner.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining('permissions: issues: write') as unknown as string
      })
    ]);
  });
});

describe('outputs the runner cannot write (a full disk)', () => {
  const fullDisk = (failing: string) => ({ runner: { outputsFail: (names: string[]) => names.includes(failing) } });

  it('never leave a passing verdict behind: the verdict is written last, in one write, and the step fails', async () => {
    const runner = await action({ 'api-key': KEY.USER, 'expected-level': 'standard' }, fullDisk('result'));
    expect(runner.failed).toBe(true);
    // Not even `results`, whose keys say they matched.
    expect(runner.outputs).toEqual({});
    expect(runner.annotations).toEqual([
      expect.objectContaining({ level: 'error', title: 'Fullstory API key check: outputs not written' })
    ]);
    expect(runner.summary).toContain('✅ match');
  });

  it('a verified mismatch keeps its annotation and summary', async () => {
    const runner = await action({ 'api-key': KEY.ADMIN, 'expected-level': 'standard' }, fullDisk('results'));
    expect(runner.failed).toBe(true);
    expect(runner.annotations.map((a) => a.title)).toEqual([
      'Fullstory API key mismatch',
      'Fullstory API key check: outputs not written'
    ]);
    expect(runner.summary).toContain('❌ mismatch');
  });

  it('an input error stays one clear message about the input', async () => {
    const runner = await action({ 'api-key': '', 'expected-level': 'standard' }, fullDisk('result'));
    expect(runner.failed).toBe(true);
    expect(runner.annotations.map((a) => a.message.split('.')[0])).toEqual([
      'api-key is empty',
      expect.stringMatching(/^Could not write the step's outputs/)
    ]);
    expect(runner.everything()).not.toMatch(/^\s+at /m);
  });
});

// Issue 21: what costs a newcomer time. Each message below is what the action says, in full.

const USER_INPUTS = { 'api-key': KEY.USER, 'expected-level': 'standard' };

/** The one error annotation of a run. */
function theError(runner: RecordingRunner): string {
  const errors = runner.annotations.filter((a) => a.level === 'error');
  expect(errors).toHaveLength(1);
  return errors[0]!.message;
}

describe('advice that names the cause: what to change, and a re-run only where one can help', () => {
  const USER = { 'api-key': KEY.USER, 'expected-level': 'standard' };
  const FAILS_CLOSED = /re-run the job once the key can be verified/;

  it('a 404: api-url, and a re-run will not help', async () => {
    fullstory.script({ status: 404 });
    const message = theError(await action(USER));
    expect(message).toBe(
      "Key na1 …0001: api-url answered HTTP 404; only a 200 answer can verify a key. api-url is not Fullstory's API: set it to the API's base URL, https://api.fullstory.com (or your proxy's URL for it), without /me or a version path. A re-run will not help."
    );
  });

  it('a redirect: api-url, never followed', async () => {
    fullstory.script({ status: 301, headers: { location: 'https://portal.example/login' } });
    const message = theError(await action(USER));
    expect(message).toBe(
      'Key na1 …0001: api-url answered with a redirect (HTTP 301 to "https://portal.example/login"), which was not followed, so the key went nowhere else. /me never redirects: set api-url to the API\'s base URL, https://api.fullstory.com, as the redirect may point elsewhere (a wrong path, http:// for https://, a sign-in page in between). A re-run will not help.'
    );
  });

  it('a host that does not resolve (ENOTFOUND): its name in api-url, and the runner’s DNS', async () => {
    // The runner's resolver, answering as it does for a name that does not exist: nothing leaves the machine.
    const lookup = dns.lookup;
    dns.lookup = ((hostname: string, ...rest: unknown[]) => {
      const callback = rest.at(-1) as (error: Error) => void;
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
      process.nextTick(() => callback(error));
    }) as typeof dns.lookup;
    try {
      const message = theError(
        await action({ ...USER, 'api-url': 'https://api.eu1.fullstory.com', 'max-attempts': '1' })
      );
      expect(message).toBe(
        'Key na1 …0001: Could not verify the key after 1 attempt: could not reach api.eu1.fullstory.com: ENOTFOUND. Check the host name in api-url (https://api.fullstory.com serves keys of every realm, na1 and eu1 alike), and that the runner can resolve names.'
      );
    } finally {
      dns.lookup = lookup;
    }
  });

  it('https:// to a server that speaks plain HTTP (EPROTO): the scheme and port of api-url', async () => {
    const url = fullstory.url.replace(/^http:/, 'https:');
    const message = theError(await action({ ...USER, 'api-url': url, 'max-attempts': '1' }));
    expect(message).toMatch(
      /could not reach 127\.0\.0\.1:\d+: EPROTO\. The server at api-url answers plain HTTP, not TLS: check its scheme and port/
    );
    expect(message).not.toMatch(/re-run/);
  });

  it('no answer in time: timeout-seconds, with its figure', async () => {
    fullstory.script({ hang: true });
    const message = theError(await action({ ...USER, 'timeout-seconds': '0.3' }));
    expect(message).toBe(
      'Key na1 …0001: Could not verify the key: no answer within timeout-seconds (0.3 s, 1 attempt). Raise timeout-seconds (now 0.3 s) if answers are slow to come (through a proxy, say), or check the network between the runner and api-url.'
    );
  });

  it('a Retry-After longer than the time left: the timeout-seconds that would hold it, or a re-run once it passes', async () => {
    fullstory.script({ status: 429, headers: { 'retry-after': '60' } });
    const message = theError(await action(USER));
    expect(message).toBe(
      'Key na1 …0001: Could not verify the key: Fullstory rate-limited the check (HTTP 429) and asked to retry after 60 s, more than is left of timeout-seconds (30 s). Raise timeout-seconds from 30 to at least 70 so that the wait fits, or re-run the job after 60 s, once the limit has passed.'
    );
  });

  it('server errors to the last attempt: a re-run, which can help, and max-attempts', async () => {
    fullstory.script({ status: 503 }, { status: 503 });
    const message = theError(await action({ ...USER, 'max-attempts': '2' }));
    expect(message).toBe(
      "Key na1 …0001: Could not verify the key after 2 attempts: Fullstory answered HTTP 503 (a server error). Fullstory's server errors usually pass: re-run the job later. For a scheduled check, raise max-attempts (now 2) to ride such failures out."
    );
  });

  it('connections reset to the last attempt: a re-run', async () => {
    fullstory.script(...Array.from({ length: 3 }, () => ({ reset: 'before-headers' })));
    const message = theError(await action(USER));
    expect(message).toMatch(
      /could not reach 127\.0\.0\.1:\d+: ECONNRESET\. A dropped connection usually passes: re-run the job; if it keeps happening, check the network between the runner and api-url\./
    );
  });

  it('never the old "fails closed; re-run" sentence', async () => {
    fullstory.script({ status: 404 });
    const runner = await action(USER);
    expect(runner.everything()).not.toMatch(FAILS_CLOSED);
  });
});

describe('keys lines and inputs: each mistake named where it is', () => {
  const batch = (keys: string) => ({ 'api-key': '', 'expected-level': '', keys });
  const env = { FS_INGEST: KEY.USER };

  it.each([
    [
      'an expression without ${{ }}',
      'secrets.FS_INGEST: standard',
      'keys line 1 is not valid: "secrets.FS_INGEST" is an expression, but keys takes the name of a variable of the step\'s env. Write "FS_INGEST: standard", with "FS_INGEST: ${{ secrets.FS_INGEST }}" in the step\'s env.'
    ],
    [
      'a YAML list',
      '- FS_INGEST: standard',
      'keys line 1 is not valid: it starts with a dash, but keys is lines of text, not a YAML list. Write "FS_INGEST: standard", without the dash.'
    ],
    [
      'a YAML list, its level kept',
      '- FS_INGEST: Admin',
      'keys line 1 is not valid: it starts with a dash, but keys is lines of text, not a YAML list. Write "FS_INGEST: admin", without the dash.'
    ],
    [
      'an empty secret where the name belongs',
      ': standard',
      'keys line 1 is not valid: nothing stands before its colon. If it held ${{ secrets.NAME }}, that secret is empty here; and keys takes the name of a variable of the step\'s env, not the key: write "FULLSTORY_INGEST_KEY: standard" with "FULLSTORY_INGEST_KEY: ${{ secrets.FULLSTORY_INGEST_KEY }}" in the step\'s env.'
    ],
    [
      '= for a colon',
      'FS_INGEST=standard',
      'keys line 1 is not valid: keys takes a colon after the name, not =. Write "FS_INGEST: standard".'
    ]
  ])('%s', async (_what, keys, said) => {
    const runner = await action(batch(keys), { env });
    expect(runner.annotations.map((a) => a.message)).toEqual([said]);
    expect(fullstory.requests).toEqual([]);
  });

  it('the key itself where its name belongs (${{ secrets.FS_INGEST }}: standard) is masked, named and never quoted', async () => {
    const runner = await action(batch(`${KEY.USER}: standard`), { env });
    expect(runner.secrets).toContain(KEY.USER);
    expect(theError(runner)).toBe(
      'keys line 1 is not valid: what stands where the variable\'s name belongs looks like a key itself (not shown), as ${{ secrets.NAME }} there would put it. keys takes the name of a variable of the step\'s env that holds the key: write "FULLSTORY_INGEST_KEY: standard" with "FULLSTORY_INGEST_KEY: ${{ secrets.FULLSTORY_INGEST_KEY }}" in the step\'s env.'
    );
    expect(fullstory.requests).toEqual([]);
    expectNoLeak(runner, KEY.USER);
  });

  it('a # comment after a line is a comment', async () => {
    const runner = await action(batch('FS_INGEST: standard # the ingestion service'), { env });
    expect(runner.failed).toBe(false);
    expect(JSON.parse(runner.outputs.results!)).toEqual([
      expect.objectContaining({ name: 'FS_INGEST', result: 'match' })
    ]);
  });

  it.each([
    ['INPUT_API_KEY', KEY.USER, 'api_key', 'api-key'],
    ['INPUT_TIMEOUT_SECONDS', '60', 'timeout_seconds', 'timeout-seconds']
  ])(
    '%s (an input written with _) is named, not blamed on forks or Dependabot, and nothing is sent',
    async (variable, value, given, meant) => {
      const inputs = variable === 'INPUT_API_KEY' ? { 'api-key': '', 'expected-level': 'standard' } : USER_INPUTS;
      const runner = await action(inputs, { env: { [variable]: value } });
      expect(runner.annotations.map((a) => a.message)).toEqual([
        `${given} is not an input of this action, so its value was not used: write ${meant} (inputs are spelled with -, not _).`
      ]);
      expect(runner.everything()).not.toMatch(/forks|Dependabot|is empty/);
      expect(fullstory.requests).toEqual([]);
      if (variable === 'INPUT_API_KEY') {
        expect(runner.secrets).toEqual([KEY.USER]);
        expectNoLeak(runner, KEY.USER);
      }
    }
  );

  it.each([`"${KEY.USER}"`, `'${KEY.USER}'`])(
    'a key saved with its quotes (%s) is named, and not sent',
    async (quoted) => {
      const single = await action({ 'api-key': quoted, 'expected-level': 'standard' });
      expect(single.annotations.map((a) => a.message)).toEqual([
        'api-key is wrapped in quotes, which are no part of a key, so it was not sent. Set it to the key alone, without the quotes.'
      ]);
      const batched = await action(batch('FS_INGEST: standard'), { env: { FS_INGEST: quoted } });
      expect(batched.annotations).toEqual([
        {
          level: 'error',
          title: 'Fullstory API key not checked: FS_INGEST',
          message:
            'Key FS_INGEST (na1 …0001): FS_INGEST is wrapped in quotes, which are no part of a key, so it was not sent. Set it to the key alone, without the quotes.'
        }
      ]);
      expect(fullstory.requests).toEqual([]);
    }
  );

  it('a batch of one key is one key', async () => {
    const runner = await action(batch('FS_INGEST: standard'), { env });
    expect(runner.log[0]).toBe(`Checking 1 Fullstory API key at ${fullstory.url}/me: FS_INGEST: exactly standard.`);
  });
});

describeWith({ commands: ['cmark-gfm'] }, 'the summary at a glance, as GitHub renders it', () => {
  /** The summary's first line, as a reader sees it, and what follows it. */
  const read = (runner: RecordingRunner) => {
    const rendered = renderGfm(runner.summary);
    return { rendered, heading: rendered.text.split('\n')[0], after: rendered.tags[1] };
  };

  it('opens with the verdict: how many keys of how many failed, and the result; then the table', async () => {
    const runner = await action(
      { 'api-key': '', 'expected-level': '', keys: 'FS_A: standard\nFS_B: standard\nFS_C: admin\nFS_D: architect' },
      { env: { FS_A: KEY.USER, FS_B: KEY.ADMIN, FS_D: KEY.ARCHITECT } }
    );
    const { rendered, heading, after } = read(runner);
    expect(rendered.tags[0]).toBe('h3');
    expect(heading).toBe('❌ Fullstory API key check: 2 of 4 keys failed (result: error)');
    expect(after).toBe('table');
    expect(rendered.text).not.toContain('`');
  });

  it.each([
    [USER_INPUTS, '✅ Fullstory API key check: the key matches (result: match)'],
    [
      { 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'fail-on-mismatch': 'false' },
      '✅ Fullstory API key check: the key does not match, as fail-on-mismatch allows (result: mismatch)'
    ],
    [
      { 'api-key': KEY.ADMIN, 'expected-level': 'standard' },
      '❌ Fullstory API key check: the key failed (result: mismatch)'
    ]
  ])('%j: %s', async (inputs, said) => {
    expect(read(await action(inputs)).heading).toBe(said);
  });

  it('an empty secret: the fix is code, no literal backtick anywhere a reader sees', async () => {
    const { rendered, heading } = read(await action({ 'api-key': '', 'expected-level': 'standard' }));
    expect(heading).toBe('❌ Fullstory API key check: no key was checked (result: error)');
    // The line to copy, as it is: a code span, without quotes.
    expect(rendered.code).toEqual(['api-key: ${{ secrets.FULLSTORY_API_KEY }}']);
    expect(rendered.text).not.toContain('`');
  });

  it('a keys line that is not valid: its example is code, no literal backtick', async () => {
    const { rendered } = read(
      await action({ 'api-key': '', 'expected-level': '', keys: 'secrets.FS_INGEST: standard' })
    );
    expect(rendered.code).toEqual(['secrets.FS_INGEST', 'FS_INGEST: standard', 'FS_INGEST: ${{ secrets.FS_INGEST }}']);
    expect(rendered.text).not.toContain('`');
  });

  describe('what became of the alert issue, after the alert', () => {
    let github: FakeGitHub;
    beforeAll(async () => {
      github = await startFakeGitHub('acme/shop');
    });
    afterEach(() => {
      github.issues.length = 0;
      github.forbid = false;
    });
    afterAll(() => github.close());
    const env = () => ({
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '42',
      GITHUB_WORKFLOW: 'nightly',
      GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/nightly.yml@refs/heads/main',
      GITHUB_JOB: 'key-health'
    });
    const last = (runner: RecordingRunner) => renderGfm(runner.summary).text.trim().split('\n').at(-1);
    const failing = { 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'alert-issue': 'true' };

    it('a link to the issue opened, commented on, closed', async () => {
      const opened = await action(failing, { env: env() });
      expect(last(opened)).toBe('Alert issue: opened #1, as the check failed.');
      expect(renderGfm(opened.summary).links).toEqual(['https://github.com/acme/shop/issues/1']);
      const commented = await action(failing, { env: env() });
      expect(last(commented)).toBe('Alert issue: commented on #1, which stays open while the check fails.');
      const closed = await action({ ...failing, 'api-key': KEY.USER }, { env: env() });
      expect(last(closed)).toBe('Alert issue: closed #1, as the keys are healthy again.');
    });

    it('or why not, with its fix as code', async () => {
      github.forbid = true;
      const runner = await action(failing, { env: env() });
      expect(last(runner)).toBe(
        'Alert issue: github-token may not write issues (HTTP 403). Give the job permissions: issues: write.'
      );
      expect(renderGfm(runner.summary).code).toContain('permissions: issues: write');
      expect(renderGfm(runner.summary).text).not.toContain('`');
    });

    it('the verdict and its table are in the summary before the alert starts: a run cancelled during it keeps them', async () => {
      const runner = recordingRunner({ 'api-url': fullstory.url, ...failing });
      const before: string[] = [];
      await run({
        runner,
        env: env(),
        alertTimeoutMs: 5000,
        githubFetch: (input, init) => {
          before.push(runner.summary);
          return httpClientFetch(input, init);
        }
      });
      expect(renderGfm(before[0]!).text.split('\n')[0]).toBe(
        '❌ Fullstory API key check: the key failed (result: mismatch)'
      );
      expect(renderGfm(before[0]!).tags.slice(0, 2)).toEqual(['h3', 'table']);
      expect(before[0]).not.toContain('Alert issue');
      expect(renderGfm(runner.summary).text).toContain('Alert issue: opened #1');
    });
  });
});
