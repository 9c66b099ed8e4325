// Every run ends on time, with a verdict, whatever the network does: the bundles as the runner
// and a shell run them, against raw TCP servers that misbehave in ways no HTTP library will.

import { afterEach, expect, it } from '@jest/globals';
import type net from 'node:net';
import { annotations, runAction, type ActionRun } from './helpers/run-action.js';
import { KEY, expectNoLeak, expectVerdict } from './helpers/assertions.js';
import { cli } from './helpers/run-cli.js';
import { drip, startRawServer, type RawServer } from './helpers/raw-server.js';
import { startFakeGitHub } from './helpers/fake-github.js';
import { describeWith } from './helpers/runtimes.js';
import { gzipSync } from 'node:zlib';

const BUDGET_S = 1;
/**
 * The promise: the step ends within timeout-seconds plus about a second, Node's start included
 * (half a second more for a loaded 2-core machine: measured up to 1.42 s over the budget there).
 */
const LIMIT_MS = BUDGET_S * 1000 + 1500;

const servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function serve(answer: (socket: net.Socket) => void): Promise<RawServer> {
  const server = await startRawServer(answer);
  servers.push(server);
  return server;
}

/** A run that ended in time with `error`, said so in an annotation and in the summary. */
function expectTimelyError(run: ActionRun, message: RegExp): void {
  expectVerdict(run, 'error', 1);
  expect(run.ms).toBeLessThan(LIMIT_MS);
  const errors = annotations(run.stdout).filter((note) => note.level === 'error');
  expect(errors.length).toBeGreaterThanOrEqual(1);
  expect(errors[0]!.message).toMatch(message);
  expect(run.summary).toContain('could not verify');
  expectNoLeak(run, KEY.USER);
}

const single = (url: string, inputs: Record<string, string> = {}) => ({
  'api-key': KEY.USER,
  'expected-level': 'standard',
  'api-url': url,
  'timeout-seconds': String(BUDGET_S),
  ...inputs
});

describeWith({ node24: true }, 'answers that never settle', () => {
  it('a 101 Switching Protocols to a plain GET', async () => {
    const server = await serve((socket) =>
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
    );
    const run = await runAction(single(server.url));
    expectTimelyError(run, /no answer within timeout-seconds \(1 s/);
  });

  it.each(['100 Continue', '102 Processing', '103 Early Hints'])(
    'informational %s answers, forever',
    async (status) => {
      const server = await serve((socket) => drip(socket, '', 150, `HTTP/1.1 ${status}\r\n\r\n`));
      const run = await runAction(single(server.url));
      expectTimelyError(run, /no answer within timeout-seconds \(1 s/);
    }
  );

  it('a status line, then headers that never end', async () => {
    const server = await serve((socket) => drip(socket, 'HTTP/1.1 200 OK\r\n', 50, 'x-more: y\r\n'));
    const run = await runAction(single(server.url));
    expectTimelyError(run, /no answer within timeout-seconds \(1 s/);
  });

  it('the CLI ends with exit code 4, not an unsettled promise', async () => {
    const server = await serve((socket) =>
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
    );
    const run = await cli(['--expected-level', 'standard', '--api-url', server.url, '--timeout-seconds', '1'], {
      env: { FULLSTORY_API_KEY: KEY.USER }
    });
    expect(run.code).toBe(4);
    // The CLI names its option, --timeout-seconds, where the action names its input.
    expect(run.stdout).toMatch(/could not verify\n- .*no answer within --timeout-seconds \(1 s/);
    expect(run.ms).toBeLessThan(LIMIT_MS);
  });
});

describeWith({ node24: true, commands: ['unshare'] }, 'a proxy that stalls', () => {
  // http-client never proxies loopback, so the target has a made-up name; the action never reaches
  // it (the proxy never opens the tunnel), and its /etc/hosts keeps any lookup on the machine.
  const target = 'https://api.fullstory.test';
  const hosts = { hosts: { 'api.fullstory.test': '127.0.0.1' } };

  it('never answers CONNECT', async () => {
    const proxy = await serve(() => undefined);
    const run = await runAction(single(target), { env: { https_proxy: proxy.url }, ...hosts });
    expectTimelyError(run, /no answer within timeout-seconds \(1 s/);
    expect(proxy.received()).toMatch(/^CONNECT api\.fullstory\.test:443 /);
    expect(proxy.received()).not.toContain(KEY.USER);
  });

  it('drips its CONNECT answer a byte at a time', async () => {
    const proxy = await serve((socket) => drip(socket, 'HTTP/1.1 200 Connection established\r\n\r\n', 300));
    const run = await runAction(single(target), { env: { https_proxy: proxy.url }, ...hosts });
    expectTimelyError(run, /no answer within timeout-seconds \(1 s/);
  });
});

describeWith({ node24: true }, 'timeout-seconds is the budget of the whole step', () => {
  it('a batch against a server that never answers: every key is an error, all within the budget', async () => {
    const server = await serve(() => undefined);
    const names = Array.from({ length: 40 }, (_, i) => `FS_KEY_${i}`);
    const env = Object.fromEntries(names.map((name, i) => [name, `na1.batchKey${String(i).padStart(20, '0')}`]));
    const run = await runAction(
      {
        keys: names.map((name) => `${name}: standard`).join('\n'),
        'api-url': server.url,
        'timeout-seconds': String(BUDGET_S)
      },
      { env }
    );
    expectVerdict(run, 'error', 1);
    expect(run.ms).toBeLessThan(LIMIT_MS);
    const results = JSON.parse(run.outputs.results!) as { name: string; result: string }[];
    expect(results.map(({ name }) => name)).toEqual(names);
    expect(new Set(results.map(({ result }) => result))).toEqual(new Set(['error']));
    const errors = annotations(run.stdout).filter((note) => note.level === 'error');
    expect(errors).toHaveLength(names.length);
    // Those in flight ran out of time; those never reached say so.
    expect(errors.filter((note) => /no answer within timeout-seconds/.test(note.message)).length).toBeGreaterThan(0);
    expect(errors.filter((note) => /not checked within timeout-seconds/i.test(note.message)).length).toBeGreaterThan(0);
    expect(run.summary.split('\n').filter((line) => /^\| FS/.test(line))).toHaveLength(names.length);
    for (const key of Object.values(env)) expectNoLeak(run, key);
  });
});

describeWith({ node24: true }, 'answers as large as a server may make them', () => {
  it('a fast server answering every key of a batch with 60 KiB of role and org: the report is written in time, and bounded', async () => {
    const role = 'R'.repeat(30 * 1024); // twice: the body just under MAX_BODY_BYTES
    const server = await serve((socket) => {
      const body = JSON.stringify({ role, orgId: role, email: '' });
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    });
    const names = Array.from({ length: 150 }, (_, i) => `FS_KEY_${i}`);
    const env = Object.fromEntries(names.map((name, i) => [name, `na1.bigKey${String(i).padStart(22, '0')}`]));
    const run = await runAction(
      {
        keys: names.map((name) => `${name}: standard`).join('\n'),
        'api-url': server.url,
        'timeout-seconds': String(BUDGET_S)
      },
      { env }
    );
    expectVerdict(run, 'mismatch', 1);
    expect(run.ms).toBeLessThan(LIMIT_MS);
    const results = JSON.parse(run.outputs.results!) as { role: string }[];
    expect(results).toHaveLength(names.length);
    // Each value is kept to 400 characters where it enters, shown to 200, and put in an output to 64.
    for (const { role: kept } of results) expect(kept).toBe(`${'R'.repeat(63)}…`);
    expect(run.outputs.results!.length).toBeLessThan(names.length * 250);
    expect(run.summary.length).toBeLessThan(names.length * 2000);
  });
});

describeWith({ node24: true }, 'the alert issue has a bound of its own', () => {
  // A GitHub API that never answers is held to the alert's own budget, injected in main.test.ts
  // (30 s here would be the whole test run's wait).
  it.each([
    [
      'a listing of 6 MB',
      () => ({ status: 200, body: Array.from({ length: 60_000 }, (_, number) => ({ number, title: 'x'.repeat(80) })) })
    ],
    [
      'a gzip bomb (60 MB of JSON in 60 KB)',
      () => ({
        status: 200,
        headers: { 'content-encoding': 'gzip' },
        body: gzipSync(Buffer.from(`[${'[],'.repeat(20_000_000)}[]]`))
      })
    ]
  ])('a GitHub API that answers with %s: a warning, at once, and the verdict stands', async (_what, answer) => {
    const github = await startFakeGitHub('acme/web');
    github.override = ({ method }) => (method === 'GET' ? answer() : undefined);
    try {
      const fullstory = await serve((socket) => {
        const body = JSON.stringify({ role: 'USER', orgId: 'o-1', email: '' });
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`
        );
      });
      const run = await runAction(single(fullstory.url, { 'alert-issue': 'true' }), {
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '1' }
      });
      expectVerdict(run, 'match', 0);
      expect(annotations(run.stdout)).toEqual([
        expect.objectContaining({
          level: 'warning',
          message: expect.stringMatching(/^alert-issue: GitHub's API answered with something other than issues/)
        })
      ]);
      expect(run.stderr).toBe('');
      expect(run.ms).toBeLessThan(LIMIT_MS);
    } finally {
      await github.close();
    }
  });

  it('alert-issue that cannot even load (a GITHUB_API_URL Octokit cannot parse): a warning, and the verdict stands', async () => {
    const fullstory = await serve((socket) => {
      const body = JSON.stringify({ role: 'USER', orgId: 'o-1', email: '' });
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    });
    const run = await runAction(single(fullstory.url, { 'alert-issue': 'true' }), {
      env: { GITHUB_API_URL: 'api.github.test', GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '1' }
    });
    expectVerdict(run, 'match', 0);
    expect(annotations(run.stdout)).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^alert-issue: could not update the alert issue/)
      })
    ]);
  });

  it('a proxy that drops every CONNECT to GitHub gets at most 10 connections, spaced, and a warning', async () => {
    const fullstory = await serve((socket) => {
      const body = JSON.stringify({ role: 'ADMIN', orgId: 'o-1', email: '' });
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    });
    const proxy = await serve((socket) => socket.destroy());
    const run = await runAction(single(fullstory.url, { 'alert-issue': 'true' }), {
      env: {
        GITHUB_API_URL: 'https://api.github.test',
        GITHUB_REPOSITORY: 'acme/web',
        GITHUB_RUN_ID: '1',
        https_proxy: proxy.url
      }
    });
    expectVerdict(run, 'mismatch', 1);
    expect(proxy.connections).toBeGreaterThan(0);
    expect(proxy.connections).toBeLessThanOrEqual(10);
    expect(annotations(run.stdout).filter((note) => note.level === 'warning')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^alert-issue: could not connect to GitHub's API in 10 attempts/)
      })
    ]);
  }, 60_000);

  it('a GitHub API that answers is not held to it', async () => {
    const github = await startFakeGitHub('acme/web');
    try {
      const fullstory = await serve((socket) => {
        const body = JSON.stringify({ role: 'ADMIN', orgId: 'o-1', email: '' });
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`
        );
      });
      const run = await runAction(single(fullstory.url, { 'alert-issue': 'true' }), {
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '1' }
      });
      expectVerdict(run, 'mismatch', 1);
      expect(github.issues).toHaveLength(1);
      expect(run.ms).toBeLessThan(LIMIT_MS);
    } finally {
      await github.close();
    }
  });
});
