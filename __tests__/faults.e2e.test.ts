// Fault injection end to end: every way the network can fail ends as result=error, fails the
// step, and stays within the time budget. None of it passes.

import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { annotations, runAction, type ActionRun } from './helpers/run-action.js';
import { KEY, expectNoLeak, expectVerdict, identity, repeat } from './helpers/assertions.js';
import { startRawServer } from './helpers/raw-server.js';
import { describeWith, type Requirement } from './helpers/runtimes.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
/** Every block: the certificate made before them all comes from openssl. */
const E2E: Requirement = { node24: true, commands: ['openssl'] };

let certificate: ReturnType<typeof makeCertificate>;
let fullstory: Emulator;
let secure: Emulator;
beforeAll(async () => {
  certificate = makeCertificate();
  fullstory = await startEmulator();
  secure = await startEmulator({ tls: { key: certificate.key, cert: certificate.cert } });
});
afterAll(async () => {
  await Promise.all([fullstory.close(), secure.close()]);
});
afterEach(() => {
  fullstory.reset();
  secure.reset();
});

const budget = 2;
const margin = 1500;
function check(inputs: Record<string, string>, options: Parameters<typeof runAction>[1] = {}): Promise<ActionRun> {
  return runAction(
    {
      'api-key': KEY.USER,
      'expected-level': 'standard',
      'api-url': fullstory.url,
      'timeout-seconds': String(budget),
      ...inputs
    },
    options
  );
}
const message = (run: ActionRun) => annotations(run.stdout)[0]?.message ?? '';

describeWith(E2E, 'a 200 that is not plainly /me: fails closed', () => {
  it.each([
    [
      'a portal page (text/html) holding a matching role',
      { 'content-type': 'text/html' },
      JSON.stringify(identity(KEY.USER)),
      /as "text\/html", not as JSON/
    ]
  ])('%s', async (_what, headers, body, said) => {
    fullstory.script({ status: 200, headers, body });
    const run = await check({});
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests).toHaveLength(1);
    expect(message(run)).toMatch(said);
    expectNoLeak(run, KEY.USER);
  });
});

describeWith(E2E, 'a 200 with two Content-Type headers: readers differ on which counts', () => {
  it.each([
    ['application/json', 'text/html'],
    ['text/html', 'application/json']
  ])('Content-Type: %s, then %s', async (first, second) => {
    const body = JSON.stringify(identity(KEY.USER));
    const server = await startRawServer((socket) =>
      socket.end(
        `HTTP/1.1 200 OK\r\ncontent-type: ${first}\r\ncontent-type: ${second}\r\ncontent-length: ${body.length}\r\n\r\n${body}`
      )
    );
    try {
      const run = await check({ 'api-url': server.url });
      expectVerdict(run, 'error', 1);
      expect(message(run)).toContain(`as "${first}, ${second}", not as JSON`);
    } finally {
      await server.close();
    }
  });
});

describeWith(E2E, 'a server that fails mid-answer', () => {
  it('answers the headers and never the body', async () => {
    fullstory.script(...repeat(3, { status: 200, body: identity(KEY.USER), hang: 'after-headers' }));
    const run = await check({});
    expectVerdict(run, 'error', 1);
    expect(message(run)).toMatch(/no answer within timeout-seconds/);
    expect(run.ms).toBeLessThan(budget * 1000 + margin);
    expectNoLeak(run, KEY.USER);
  });

  it('resets after the headers on every attempt', async () => {
    fullstory.script(...repeat(3, { status: 200, body: identity(KEY.USER), reset: 'after-headers' }));
    const run = await check({ 'timeout-seconds': '10' });
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests).toHaveLength(3);
    expect(message(run)).toMatch(/after 3 attempts: could not reach .*(ECONNRESET|aborted)/);
  });
});

describeWith({ ...E2E, commands: ['openssl', 'unshare'] }, 'DNS', () => {
  it('a made-up host that does not resolve is an error (run with no network at all)', async () => {
    const run = await check(
      { 'api-url': 'https://no-such-host.invalid', 'max-attempts': '2', 'timeout-seconds': '10' },
      { isolatedNetwork: true }
    );
    expectVerdict(run, 'error', 1);
    expect(message(run)).toMatch(/after 2 attempts: could not reach no-such-host\.invalid: (EAI_AGAIN|ENOTFOUND)/);
    expectNoLeak(run, KEY.USER);
  });
});

describeWith(E2E, 'TLS', () => {
  it('refuses a certificate it cannot verify, at once, and never sends the key', async () => {
    const run = await check({ 'api-url': secure.url, 'timeout-seconds': '10' });
    expectVerdict(run, 'error', 1);
    expect(message(run)).toMatch(
      /The TLS certificate of 127\.0\.0\.1:\d+ is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\), so the key was not sent/
    );
    expect(secure.requests).toHaveLength(0);
    expectNoLeak(run, KEY.USER);
  });

  it('refuses it with NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment too, and says the variable is ignored', async () => {
    const run = await check(
      { 'api-url': secure.url, 'timeout-seconds': '10' },
      { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } }
    );
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(
          /^NODE_TLS_REJECT_UNAUTHORIZED=0 is set and is ignored here: .*NODE_EXTRA_CA_CERTS/
        )
      }),
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/is not trusted .*so the key was not sent/)
      })
    ]);
    expect(secure.requests).toHaveLength(0);
    expectNoLeak(run, KEY.USER);
  });

  it('trusts the same server once its CA is given with NODE_EXTRA_CA_CERTS: verification is on, not off', async () => {
    const run = await check({ 'api-url': secure.url }, { env: { NODE_EXTRA_CA_CERTS: certificate.certFile } });
    expectVerdict(run, 'match', 0);
    expect(secure.requests).toHaveLength(1);
  });

  it('never agrees to finite-field Diffie-Hellman, whose handshake a server can make cost seconds of CPU', async () => {
    // A trusted RSA certificate, and a server (openssl s_server) that offers only DHE suites on TLS 1.2.
    const dir = mkdtempSync(join(tmpdir(), 'fs-key-dhe-'));
    const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=dhe']
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'])
        .concat(['-keyout', keyFile, '-out', certFile]),
      { stdio: 'ignore' }
    );
    const port = await freePort();
    const server = spawn(
      'openssl',
      ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', certFile, '-key', keyFile, '-tls1_2'].concat([
        '-cipher',
        'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384',
        '-www',
        '-quiet'
      ]),
      { stdio: 'ignore' }
    );
    try {
      await listening(port);
      const run = await check(
        { 'api-url': `https://127.0.0.1:${port}`, 'timeout-seconds': '5', 'max-attempts': '1' },
        { env: { NODE_EXTRA_CA_CERTS: certFile } }
      );
      expectVerdict(run, 'error', 1);
      // Refused at the handshake, not read as an answer (s_server -www would answer 200 with HTML).
      expect(message(run)).toMatch(/could not reach 127\.0\.0\.1:\d+: (EPROTO|"[^"]*handshake failure)/);
      expect(message(run)).not.toMatch(/not JSON/);
    } finally {
      server.kill();
    }
  });
});

/** A port no one listens on, for a server that cannot be told to pick its own. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves once something accepts connections on the port. */
async function listening(port: number): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      socket.on('connect', () => socket.destroy());
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

describeWith(E2E, '429 storms', () => {
  it('Retry-After: 0 on every answer is retried at a pace that halves each time, never hammered', async () => {
    fullstory.script(...repeat(20, { status: 429, headers: { 'retry-after': '0' } }));
    const run = await check({ 'timeout-seconds': '4' });
    expectVerdict(run, 'error', 1);
    expect(message(run)).toMatch(/HTTP 429/);
    const gaps = fullstory.requests.slice(1).map((request, i) => request.at - fullstory.requests[i]!.at);
    // From the first 429 on, one request at a time, each wait about twice the one before.
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const [i, gap] of gaps.slice(1).entries()) expect(gap).toBeGreaterThanOrEqual(1.5 * gaps[i]!);
  });

  it('429 without Retry-After backs off instead of hammering, and stops within the budget', async () => {
    fullstory.script(...repeat(20, { status: 429 }));
    const run = await check({ 'max-attempts': '10' });
    expectVerdict(run, 'error', 1);
    // Backoff from 250 ms, doubling: within 2 s no more than a handful of requests.
    expect(fullstory.requests.length).toBeLessThanOrEqual(5);
    const gaps = fullstory.requests.slice(1).map((request, i) => request.at - fullstory.requests[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(250);
    expect(run.ms).toBeLessThan(budget * 1000 + margin);
  });

  it('a Retry-After date in the past retries at once, and the next answer counts', async () => {
    fullstory.script({ status: 429, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:00 GMT' } });
    const run = await check({});
    expectVerdict(run, 'match', 0);
    expect(fullstory.requests).toHaveLength(2);
  });
});
