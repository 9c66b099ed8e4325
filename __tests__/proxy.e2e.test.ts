// Self-hosted runners behind a proxy, and where the key may travel: only to api-url's host.

import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { makeCertificate, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { annotations, runAction } from './helpers/run-action.js';
import { KEY, expectNoLeak, expectVerdict } from './helpers/assertions.js';

import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js';
import { describeWith } from './helpers/runtimes.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

let certificate: ReturnType<typeof makeCertificate>;
let fullstory: Emulator;
let proxy: ConnectProxy;
beforeAll(async () => {
  certificate = makeCertificate();
  fullstory = await startEmulator({ tls: { key: certificate.key, cert: certificate.cert } });
  proxy = await startConnectProxy({ [FULLSTORY_HOST]: '127.0.0.1' });
});
afterAll(async () => {
  await Promise.all([fullstory.close(), proxy.close()]);
});
afterEach(() => {
  fullstory.reset();
  proxy.reset();
});

// @actions/http-client never proxies 127.0.0.1 or localhost, so the emulator stands in for a
// remote host under a made-up name. The proxy resolves that name itself; a run that goes straight
// to the host gets it from its own /etc/hosts. Either way no DNS query leaves the machine.
const FULLSTORY_HOST = 'api.fullstory.test';
const remote = () => `https://${FULLSTORY_HOST}:${fullstory.port}`;
const trust = () => ({ NODE_EXTRA_CA_CERTS: certificate.certFile });
const resolver = { hosts: { [FULLSTORY_HOST]: '127.0.0.1' } };

describeWith({ node24: true, commands: ['openssl', 'unshare'] }, 'https_proxy', () => {
  it.each(['https_proxy', 'HTTPS_PROXY'])(
    'with %s set, the request goes through the proxy as a CONNECT tunnel',
    async (variable) => {
      const run = await runAction(
        { 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': remote() },
        { env: { ...trust(), [variable]: proxy.url } }
      );
      expectVerdict(run, 'match', 0);
      expect(proxy.connects).toEqual([`${FULLSTORY_HOST}:${fullstory.port}`]);
      expect(proxy.plain).toEqual([]);
      // The key reached Fullstory inside the tunnel, and the proxy saw only ciphertext.
      expect(fullstory.requests.map((request) => request.headers.authorization)).toEqual([`Basic ${KEY.USER}`]);
      expect(proxy.carried().includes(KEY.USER)).toBe(false);
      expect(proxy.carried().includes('Basic ')).toBe(false);
      expectNoLeak(run, KEY.USER);
    }
  );

  it('with NODE_TLS_REJECT_UNAUTHORIZED=0, an untrusted server at the end of the tunnel gets nothing', async () => {
    const run = await runAction(
      { 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': remote() },
      { env: { https_proxy: proxy.url, NODE_TLS_REJECT_UNAUTHORIZED: '0' } }
    );
    expectVerdict(run, 'error', 1);
    expect(proxy.connects).toEqual([`${FULLSTORY_HOST}:${fullstory.port}`]);
    expect(annotations(run.stdout).map((note) => note.message)).toEqual([
      expect.stringMatching(/^NODE_TLS_REJECT_UNAUTHORIZED=0 is set and is ignored here/),
      expect.stringMatching(/The TLS certificate of api\.fullstory\.test:\d+ is not trusted .*so the key was not sent/)
    ]);
    expect(fullstory.requests).toEqual([]);
    expectNoLeak(run, KEY.USER);
  });

  it('with no_proxy matching the host, it goes straight to the host', async () => {
    const run = await runAction(
      { 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': remote() },
      { env: { ...trust(), https_proxy: proxy.url, no_proxy: `example.com,${FULLSTORY_HOST}` }, ...resolver }
    );
    expectVerdict(run, 'match', 0);
    expect(proxy.connects).toEqual([]);
    expect(proxy.carried().length).toBe(0);
    expect(fullstory.requests).toHaveLength(1);
  });

  it('a proxy that cannot reach the host is a failure to verify, not a pass', async () => {
    const run = await runAction(
      {
        'api-key': KEY.USER,
        'expected-level': 'standard',
        'api-url': `https://${FULLSTORY_HOST}:1`,
        'max-attempts': '2'
      },
      { env: { ...trust(), https_proxy: proxy.url } }
    );
    expectVerdict(run, 'error', 1);
    expect(proxy.connects).toEqual([`${FULLSTORY_HOST}:1`, `${FULLSTORY_HOST}:1`]);
    expect(proxy.carried().includes(KEY.USER)).toBe(false);
  });
});

describeWith({ node24: true, commands: ['openssl'] }, 'redirects never carry the key', () => {
  let elsewhere: Emulator;
  let plain: Emulator;
  beforeAll(async () => {
    elsewhere = await startEmulator({ tls: { key: certificate.key, cert: certificate.cert } });
    plain = await startEmulator();
  });
  afterAll(async () => {
    await Promise.all([elsewhere.close(), plain.close()]);
  });

  const targets = () => [
    ['another host', `https://localhost:${elsewhere.port}/me`],
    ['another port', `https://127.0.0.1:${elsewhere.port}/me`],
    ['plain http', `http://127.0.0.1:${plain.port}/me`],
    ['the same URL', `${fullstory.url}/me`]
  ];

  it.each([301, 302, 303, 307, 308])('HTTP %i to another host, another port, http, or itself', async (status) => {
    for (const [what, location] of targets()) {
      fullstory.reset();
      fullstory.script({ status, headers: { location } });
      const run = await runAction(
        { 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': fullstory.url },
        { env: trust() }
      );
      expect({ what, result: run.outputs.result, code: run.code }).toEqual({ what, result: 'error', code: 1 });
      expect(fullstory.requests).toHaveLength(1);
      expect(annotations(run.stdout)[0]!.message).toContain('which was not followed');
      expectNoLeak(run, KEY.USER);
    }
    expect(elsewhere.requests).toHaveLength(0);
    expect(plain.requests).toHaveLength(0);
  });
});
