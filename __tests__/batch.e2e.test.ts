// Many keys in one step, and the alert issue for scheduled checks: the bundle as the runner runs it.

import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { FAKE_GITHUB_TOKEN, ROOT, annotations, runAction, type ActionRun } from './helpers/run-action.js';
import { KEY, expectNoLeak, expectVerdict } from './helpers/assertions.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';
import { renderGfm } from './helpers/gfm.js';
import { describeWith, itWith } from './helpers/runtimes.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const REPOSITORY = 'acme/web';
const ENV = { FS_INGEST: KEY.USER, FS_EXPORT: KEY.ARCHITECT, FS_PRIVACY: KEY.ADMIN };
const KEYS = 'FS_INGEST: standard\nFS_EXPORT: architect\nFS_PRIVACY: admin';

let fullstory: Emulator;
let github: FakeGitHub;
beforeAll(async () => {
  fullstory = await startEmulator();
  github = await startFakeGitHub(REPOSITORY);
});
afterAll(async () => {
  await Promise.all([fullstory.close(), github.close()]);
});
afterEach(() => {
  fullstory.reset();
  github.issues.length = 0;
  github.calls.length = 0;
  github.forbid = false;
});

interface Result {
  name: string;
  role: string | null;
  level: string | null;
  matches: boolean;
  result: string;
  'org-id': string | null;
}
const results = (run: ActionRun) => JSON.parse(run.outputs.results ?? 'null') as Result[];

function batch(
  keys: string,
  env: Record<string, string> = ENV,
  inputs: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction(
    { keys, 'api-url': fullstory.url, 'timeout-seconds': '10', ...inputs },
    {
      env: {
        ...env,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: REPOSITORY,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_RUN_ID: '4242'
      }
    }
  );
}

function expectNoKeyLeaks(run: ActionRun, keys: readonly string[] = Object.values(ENV)): void {
  for (const key of keys) expectNoLeak(run, key);
  expect(
    run.stdout
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'))
      .sort()
  ).toEqual(keys.map((key) => `::add-mask::${key}`).sort());
}

describeWith({ node24: true, commands: ['cmark-gfm'] }, 'keys: many keys in one step', () => {
  it('checks every key at its own level and reports each by its variable name', async () => {
    const run = await batch(KEYS);
    expectVerdict(run, 'match', 0);
    expect(results(run)).toEqual([
      { name: 'FS_INGEST', role: 'USER', level: 'standard', matches: true, result: 'match', 'org-id': 'o-DEMO-na1' },
      {
        name: 'FS_EXPORT',
        role: 'ARCHITECT',
        level: 'architect',
        matches: true,
        result: 'match',
        'org-id': 'o-DEMO-na1'
      },
      { name: 'FS_PRIVACY', role: 'ADMIN', level: 'admin', matches: true, result: 'match', 'org-id': 'o-DEMO-eu1' }
    ]);
    expect(fullstory.requests.map((request) => request.headers.authorization).sort()).toEqual(
      Object.values(ENV)
        .map((key) => `Basic ${key}`)
        .sort()
    );
    // Single-key outputs belong to single-key runs.
    expect(run.outputs.role).toBeUndefined();
    expect(run.outputs.email).toBeUndefined();
    expect(renderGfm(run.summary).tables[0]!.slice(1)).toEqual([
      ['FS_INGEST (na1 …0001)', 'o-DEMO-na1', 'USER', 'standard', 'standard (exact)', '✅ match'],
      ['FS_EXPORT (na1 …0002)', 'o-DEMO-na1', 'ARCHITECT', 'architect', 'architect (exact)', '✅ match'],
      ['FS_PRIVACY (eu1 …0003)', 'o-DEMO-eu1', 'ADMIN', 'admin', 'admin (exact)', '✅ match']
    ]);
    expectNoKeyLeaks(run);
    expect(JSON.stringify(results(run))).not.toMatch(/@example\.com/);
  });

  it('reports a missing variable by name and still checks the others; result is the worst verdict', async () => {
    const run = await batch(`${KEYS}\nFS_MISSING: standard`, { ...ENV, FS_INGEST: 'na1.Rv8Kq2Zx5Wm000000000000000' });
    expectVerdict(run, 'error', 1);
    expect(results(run).map(({ name, result }) => [name, result])).toEqual([
      ['FS_INGEST', 'invalid-key'],
      ['FS_EXPORT', 'match'],
      ['FS_PRIVACY', 'match'],
      ['FS_MISSING', 'error']
    ]);
    expect(fullstory.requests).toHaveLength(3);
    const titles = annotations(run.stdout)
      .filter((note) => note.level === 'error')
      .map((note) => note.title);
    expect(titles).toEqual(['Fullstory API key rejected: FS_INGEST', 'Fullstory API key not checked: FS_MISSING']);
    // What to fix, not a re-run: a re-run cannot set a variable.
    const missing = annotations(run.stdout).find((note) => note.title?.endsWith('FS_MISSING'))!.message;
    expect(missing).toMatch(
      /^Key FS_MISSING \(not set\): FS_MISSING is not set or is empty in this step's env\. Pass it from a secret, e\.g\. env: \{ FS_MISSING: \$\{\{ secrets\.FS_MISSING \}\} \}/
    );
    expect(missing).not.toMatch(/re-run|\(\(empty\)\)/i);
    const summary = renderGfm(run.summary);
    expect(summary.tables[0]!.at(-1)).toEqual([
      'FS_MISSING (not set)',
      '—',
      '—',
      '—',
      'standard (exact)',
      '❌ not checked: fix the input'
    ]);
  });

  it("checks each key against its own line's org, else expected-org-id, and shows which in Expected", async () => {
    const run = await batch('FS_INGEST: standard\nFS_EXPORT: architect\nFS_PRIVACY: admin o-DEMO-eu1', ENV, {
      'expected-org-id': 'o-DEMO-na1'
    });
    expectVerdict(run, 'match', 0);
    expect(renderGfm(run.summary).tables[0]!.map((row) => row[4])).toEqual([
      'Expected',
      'standard (exact), org o-DEMO-na1',
      'architect (exact), org o-DEMO-na1',
      'admin (exact), org o-DEMO-eu1'
    ]);
    expect(run.stdout).toContain('FS_PRIVACY: exactly admin in org "o-DEMO-eu1"');

    // Without its own org, the EU key is held to expected-org-id, and the advice is about the org.
    const wrongOrg = await batch(KEYS, ENV, { 'expected-org-id': 'o-DEMO-na1' });
    expectVerdict(wrongOrg, 'mismatch', 1);
    const note = annotations(wrongOrg.stdout).find((one) => one.title === 'Fullstory API key mismatch: FS_PRIVACY')!;
    expect(note.message).toMatch(
      /expected org "o-DEMO-na1", but the key belongs to org "o-DEMO-eu1"\. The key's level is right but it is from another org: create one in org "o-DEMO-na1"/
    );
    expect(note.message).not.toMatch(/key of level|right level under/);
  });

  it('orders verdicts error > invalid-key > mismatch > match', async () => {
    const mismatch = await batch('FS_INGEST: admin\nFS_EXPORT: architect');
    expectVerdict(mismatch, 'mismatch', 1);
    const invalid = await batch('FS_INGEST: admin\nFS_BAD: standard', {
      ...ENV,
      FS_BAD: 'na1.Rv8Kq2Zx5Wm000000000000000'
    });
    expectVerdict(invalid, 'invalid-key', 1);
  });

  it('fail-on-mismatch and match apply to every key', async () => {
    const allowed = await batch('FS_INGEST: admin\nFS_PRIVACY: standard', ENV, { 'fail-on-mismatch': 'false' });
    expectVerdict(allowed, 'mismatch', 0);
    const atLeast = await batch('FS_PRIVACY: standard\nFS_EXPORT: standard', ENV, { match: 'at-least' });
    expectVerdict(atLeast, 'match', 0);
    expect(annotations(atLeast.stdout).filter((note) => note.level === 'warning')).toHaveLength(2);
  });

  it.each([
    ['api-key with keys', { 'api-key': KEY.USER }, /Give either api-key with expected-level, or keys, not both/],
    ['a malformed line', { keys: 'FS_INGEST standard' }, /keys line 1 is not valid/]
  ])('refuses %s before any request', async (_what, inputs, message) => {
    const run = await batch(KEYS, ENV, inputs);
    expect(run.code).toBe(1);
    expect(annotations(run.stdout)[0]!.message).toMatch(message);
    expect(fullstory.requests).toHaveLength(0);
    expect(run.outputs).toEqual({ result: 'error', matches: 'false' });
  });
});

describeWith({ node24: true, commands: ['cmark-gfm'] }, 'alert-issue', () => {
  const failing = () => batch('FS_INGEST: admin', ENV, { 'alert-issue': 'true' });
  const healthy = () => batch('FS_INGEST: standard', ENV, { 'alert-issue': 'true' });

  it('opens one labelled issue with the summary and a link to the run when the check fails', async () => {
    const run = await failing();
    expectVerdict(run, 'mismatch', 1);
    expect(github.issues).toHaveLength(1);
    const [issue] = github.issues;
    expect(issue).toMatchObject({
      title: 'Fullstory API key check is failing: workflow / job',
      labels: ['fullstory-key-check'],
      state: 'open'
    });
    const rendered = renderGfm(issue!.body);
    expect(rendered.prose).toMatch(/^The Fullstory API key check failed \(mismatch\) in run 4242\./);
    expect(rendered.links).toEqual(['https://github.example/acme/web/actions/runs/4242']);
    expect(rendered.tables).toEqual([
      [
        ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'],
        ['FS_INGEST (na1 …0001)', 'o-DEMO-na1', 'USER', 'standard', 'admin (exact)', '❌ mismatch']
      ]
    ]);
    expect(issue!.body).not.toContain(KEY.USER);
    expect(issue!.body).not.toMatch(/@example\.com/);
    expect(github.calls.every((call) => call.authorization === `token ${FAKE_GITHUB_TOKEN}`)).toBe(true);
  });

  it('comments on the open issue instead of opening another', async () => {
    await failing();
    const again = await failing();
    expectVerdict(again, 'mismatch', 1);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toHaveLength(1);
    expect(renderGfm(github.issues[0]!.comments[0]!).tables[0]![1]![0]).toBe('FS_INGEST (na1 …0001)');
  });

  it('comments that the keys are healthy again and closes the issue', async () => {
    await failing();
    const run = await healthy();
    expectVerdict(run, 'match', 0);
    expect(github.issues[0]!.state).toBe('closed');
    expect(github.issues[0]!.comments.at(-1)).toMatch(
      /^The Fullstory API keys of this check are healthy again in \[run 4242\]/
    );
  });

  it('leaves a healthy repository alone: no issue, no write', async () => {
    const run = await healthy();
    expectVerdict(run, 'match', 0);
    expect(github.issues).toHaveLength(0);
    expect(github.calls.map((call) => call.call)).toEqual([`GET /repos/${REPOSITORY}/issues`]);
  });

  it('ignores other open issues and pull requests with the same label', async () => {
    github.issues.push(
      { number: 1, title: 'Something else', body: '', labels: ['fullstory-key-check'], state: 'open', comments: [] },
      {
        number: 2,
        title: 'Fullstory API key check is failing',
        body: '',
        labels: ['fullstory-key-check'],
        state: 'open',
        comments: [],
        pull_request: {}
      }
    );
    await failing();
    expect(github.issues).toHaveLength(3);
    expect(github.issues.map((issue) => issue.comments.length)).toEqual([0, 0, 0]);
  });

  it('warns, naming the permission, when the token may not write issues; the verdict stands', async () => {
    github.forbid = true;
    for (const [run, result, code] of [
      [await failing(), 'mismatch', 1],
      [await healthy(), 'match', 0]
    ] as const) {
      expectVerdict(run, result, code);
      expect(annotations(run.stdout)).toContainEqual(
        expect.objectContaining({
          level: 'warning',
          message: expect.stringMatching(/HTTP 403.*permissions: issues: write/)
        })
      );
    }
  });

  itWith(
    { commands: ['openssl'] },
    'with NODE_TLS_REJECT_UNAUTHORIZED=0, a GitHub API whose TLS does not verify never gets the token',
    async () => {
      const certificate = makeCertificate();
      const untrusted = await startFakeGitHub(REPOSITORY, { key: certificate.key, cert: certificate.cert });
      try {
        const run = await runAction(
          { keys: 'FS_INGEST: admin', 'api-url': fullstory.url, 'alert-issue': 'true' },
          {
            env: {
              FS_INGEST: KEY.USER,
              GITHUB_API_URL: untrusted.url,
              GITHUB_REPOSITORY: REPOSITORY,
              NODE_TLS_REJECT_UNAUTHORIZED: '0'
            }
          }
        );
        expectVerdict(run, 'mismatch', 1);
        expect(untrusted.calls).toEqual([]);
        expect(
          annotations(run.stdout)
            .filter((note) => note.level === 'warning')
            .map((note) => note.message)
        ).toEqual([
          expect.stringMatching(/^NODE_TLS_REJECT_UNAUTHORIZED=0 is set and is ignored here/),
          expect.stringMatching(/^alert-issue: could not update the alert issue/)
        ]);
      } finally {
        await untrusted.close();
      }
    }
  );

  it('does not load Octokit or call GitHub when alert-issue is off', async () => {
    // The bundle without its lazily loaded chunks (Octokit and alert.ts): a check that loaded them
    // would fail to find them.
    const copy = mkdtempSync(join(tmpdir(), 'fs-key-bundle-'));
    try {
      for (const name of ['index.js', 'package.json']) copyFileSync(join(ROOT, 'dist', name), join(copy, name));
      const without = (inputs: Record<string, string>) =>
        runAction(
          { keys: 'FS_INGEST: admin', 'api-url': fullstory.url, ...inputs },
          {
            env: { FS_INGEST: KEY.ADMIN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPOSITORY },
            bundle: join(copy, 'index.js')
          }
        );
      const off = await without({});
      expectVerdict(off, 'match', 0);
      expect(annotations(off.stdout)).toEqual([]);
      expect(github.calls).toHaveLength(0);
      // The check of this test: with alert-issue on, the same copy misses what it must load.
      const on = await without({ 'alert-issue': 'true' });
      expectVerdict(on, 'match', 0);
      expect(annotations(on.stdout)).toEqual([
        expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^alert-issue: could not update/) })
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describeWith({ node24: true, commands: ['unshare'] }, 'a runner whose disk fills while the outputs are written', () => {
  it('never leaves a passing verdict behind a step that fails, whatever the fill', async () => {
    // 70 to 77 matching keys against 8 KiB free: the outputs (about 108 bytes a key, the verdict
    // last) fit up to 72 keys; from 73 the write fails part-way, at 73 and 74 past `results`.
    const seen = new Set<string>();
    for (let keys = 70; keys <= 77; keys += 1) {
      const names = Array.from({ length: keys }, (_, i) => `FS_KEY_${i}`);
      const run = await runAction(
        { keys: names.map((name) => `${name}: standard`).join('\n'), 'api-url': fullstory.url },
        {
          env: Object.fromEntries(names.map((name) => [name, KEY.USER])),
          outputsOnFullDisk: { sizeKiB: 16, freeKiB: 8 }
        }
      );
      const passing = run.outputs.result === 'match' || run.outputs.matches === 'true';
      expect({ keys, code: run.code, passing }).toEqual({ keys, code: passing ? 0 : 1, passing });
      if (run.code === 0) expect(run.outputs).toMatchObject({ result: 'match', matches: 'true' });
      else {
        expect(annotations(run.stdout).map((note) => note.title)).toEqual([
          'Fullstory API key check: outputs not written'
        ]);
        expect(run.summary).toContain('✅ match');
      }
      seen.add(run.code === 0 ? 'written' : Object.keys(run.outputs).length === 0 ? 'taken back' : 'partly left');
    }
    // The check of this test: both sides of the fill, and a failed write leaves nothing behind.
    expect([...seen].sort()).toEqual(['taken back', 'written']);
  });

  itWith(
    { linux: true },
    'GITHUB_OUTPUT that takes no write at all (/dev/full): a mismatch keeps its annotation and summary',
    async () => {
      const run = await runAction(
        { 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'api-url': fullstory.url },
        { env: { GITHUB_OUTPUT: '/dev/full' } }
      );
      expect(run.code).toBe(1);
      expect(annotations(run.stdout).map((note) => note.title)).toEqual([
        'Fullstory API key mismatch',
        'Fullstory API key check: outputs not written'
      ]);
      expect(run.summary).toContain('❌ mismatch');
      expect(run.stderr).toBe('');
    }
  );

  itWith(
    { linux: true },
    'GITHUB_OUTPUT unwritable and inputs not valid: one clear message about the input',
    async () => {
      const run = await runAction(
        { 'api-key': '', 'expected-level': 'standard', 'api-url': fullstory.url },
        { env: { GITHUB_OUTPUT: '/dev/full' } }
      );
      expect(run.code).toBe(1);
      expect(annotations(run.stdout).map((note) => note.message.split('.')[0])).toEqual([
        'api-key is empty',
        expect.stringMatching(/^Could not write the step's outputs/)
      ]);
      expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
    }
  );
});
