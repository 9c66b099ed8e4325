// The action's orchestration (main.ts) in this process: the real settings, HTTP client, check,
// report and alert issue, against the emulator and a fake GitHub on loopback, with a runner that
// records what the action writes. What only a bundle can show (the runner's file and command
// formats, signals, TLS, proxies) is in the *.e2e tests.

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { updateAlertIssue } from '../src/alert.js';
import { createLogger } from '../src/logger.js';
import { run } from '../src/main.js';
import { secrets } from '../src/redact.js';
import { useEmulator } from './helpers/emulator.js';
import { KEY, identity, keyPiecesIn } from './helpers/assertions.js';
import { startFakeGitHub, type FakeGitHub, type FakeIssue } from './helpers/fake-github.js';
import { recordingRunner, type RecordingRunner } from './helpers/runner.js';
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
      expect.objectContaining({ name: 'FS_INGEST', result: 'match' }),
      expect.objectContaining({ name: 'FS_EXPORT', result: 'mismatch' }),
      expect.objectContaining({ name: 'FS_GONE', result: 'error', role: null })
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
  const marker = (id: string) => `<!-- fullstory-key-check: ${encodeURIComponent(id)} -->`;
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
    expect(at).toEqual([0, 50, 150, 350, 750, 1550, 3150, 4750, 6350, 7950]);
    expect(runner.annotations.at(-1)!.message).toMatch(/could not connect to GitHub's API in 10 attempts/);
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
    expect(runner.outputs).not.toHaveProperty('result');
    expect(runner.outputs).not.toHaveProperty('matches');
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
