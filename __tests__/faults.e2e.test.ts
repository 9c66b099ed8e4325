// Fault injection end to end: every way the network can fail ends as result=error, fails the
// step, and stays within the time budget. None of it passes.

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { makeCertificate, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { annotations, runAction, type ActionRun } from './helpers/run-action.js';
import { KEY, expectNoLeak, expectVerdict, identity, repeat } from './helpers/assertions.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

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

describe('a server that fails mid-answer', () => {
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

describe('DNS', () => {
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

describe('TLS', () => {
  it('refuses a certificate it cannot verify, at once, and never sends the key', async () => {
    const run = await check({ 'api-url': secure.url, 'timeout-seconds': '10' });
    expectVerdict(run, 'error', 1);
    expect(message(run)).toMatch(
      /The TLS certificate of 127\.0\.0\.1:\d+ is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\), so the key was not sent/
    );
    expect(secure.requests).toHaveLength(0);
    expectNoLeak(run, KEY.USER);
  });

  it('trusts the same server once its CA is given with NODE_EXTRA_CA_CERTS: verification is on, not off', async () => {
    const run = await check({ 'api-url': secure.url }, { env: { NODE_EXTRA_CA_CERTS: certificate.certFile } });
    expectVerdict(run, 'match', 0);
    expect(secure.requests).toHaveLength(1);
  });
});

describe('429 storms', () => {
  it('Retry-After: 0 on every answer ends after max-attempts requests', async () => {
    fullstory.script(...repeat(20, { status: 429, headers: { 'retry-after': '0' } }));
    const run = await check({ 'max-attempts': '10', 'timeout-seconds': '60' });
    expectVerdict(run, 'error', 1);
    expect(fullstory.requests.length).toBeLessThanOrEqual(10);
    expect(message(run)).toMatch(/HTTP 429/);
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
