// A local emulator of Fullstory's GET /me: a real HTTP server on loopback that knows a set of keys
// and can be scripted per request. Plain JavaScript on node: built-ins only, so `npm run demo`
// works on a fresh clone before any install.
//
// Behaviour of one scripted request (all fields optional):
//   status, headers, body      the answer; an object body is sent as JSON
//   delayMs                    wait before answering
//   hang: true                 accept the request and never answer
//   hang: 'after-headers'      send the headers, then never the body
//   drip: { intervalMs }       send the headers, then the body one byte per interval
//   dripHeaders: { intervalMs }   send even the status line and headers one byte per interval
//   chunked: true              no Content-Length: the body's size is known only at its end
//   reset: 'before-headers' | 'after-headers' | 'mid-body'   cut the connection at that point
//   upgrade: true              answer 101 Switching Protocols to the plain GET, then nothing more
//   informational: { status, intervalMs }   an informational (1xx) answer every interval, forever
//   endlessHeaders: { intervalMs }   a status line, then one more header every interval, forever
// In a scripted body or header value, these stand for the key of the request being answered, as a
// server or proxy that echoes it would send it: {{key}}, {{key:first-half}}, {{key:second-half}},
// {{key:no-realm}} (without `na1.`/`eu1.`), {{authorization}} (the whole header), and encoded as a
// reader decodes at a glance: {{key:entities}} (&#xNN; each), {{key:percent}} (%NN each),
// {{key:escaped}} (a backslash before each punctuation mark), {{key:json}} (\uXXXX each),
// {{key:upper}}, {{key:slice}} (8 characters from its middle), {{key:base64}} and
// {{key:basic-base64}} (of the whole Authorization header): the honest echoes of SECURITY.md.
// Unscripted requests get the real behaviour: 200 with the key's identity, or 401.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Example keys of every level, and one whose role is not a key level. Not real keys. Random-looking
 * like real ones: no 6 characters of one, in any case, appear in a role, org, email or the action's
 * own words, since everything the action writes is redacted of any such piece.
 */
export const DEMO_KEYS = Object.freeze({
  'na1.q7ZpL2mRv9TbK4wYc8NdF3hJ6sG0001': {
    role: 'USER',
    orgId: 'o-DEMO-na1',
    email: 'ingest-bot@example.com'
  },
  'na1.x4Hs9Kd2Wq7Lm3Zt8Rp5Vn1Cb6Yj0002': {
    role: 'ARCHITECT',
    orgId: 'o-DEMO-na1',
    email: 'exports@example.com'
  },
  'eu1.t6Gw1Qz8Mx3Pk9Df5Jr2Hv7Ls4Nb0003': {
    role: 'ADMIN',
    orgId: 'o-DEMO-eu1',
    email: 'privacy-admin@example.com'
  },
  'na1.b3Rj8Tn5Wy2Kp7Mx9Gq4Zd6Hs1Lf0004': {
    role: 'VIEW_ONLY',
    orgId: 'o-DEMO-na1',
    email: 'viewer@example.com'
  }
});

/**
 * A throwaway self-signed certificate for serving the emulator over HTTPS, made with openssl. Its
 * file is what a client trusts it by, e.g. NODE_EXTRA_CA_CERTS or curl --cacert.
 * @returns {{ key: string, cert: string, certFile: string }}
 */
export function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'fs-key-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const names = 'subjectAltName=DNS:localhost,DNS:api.fullstory.test,IP:127.0.0.1,IP:::1';
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=fullstory-key-check emulator'
    ].concat(['-addext', names, '-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', keyFile, '-out', certFile]),
    { stdio: 'ignore' }
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** How far into a second the fixed window's first second starts: a batch does not begin at its edge. */
export const WINDOW_PHASE_MS = 370;

/**
 * A rate limit of one of three shapes, on a clock in milliseconds from 0: a token bucket of
 * `burst` refilled at `perSecond`, or at most `perSecond` requests in each second (fixed window) or
 * in any second (sliding window). script/pace-sim.ts simulates the same limits. A window that
 * `countsRefused` counts every request, refused ones too, as a limiter that logs each request
 * before it checks it does.
 * @param {{ shape?: 'token bucket' | 'fixed window' | 'sliding window', burst?: number, perSecond: number, phaseMs?: number, countsRefused?: boolean }} limit
 * @returns {{ admit(at: number): boolean, next(at: number): number, wait(at: number): number }}
 *   admit counts a request that passes; next is the first moment from `at` one would; wait is in ms.
 */
export function createLimit({
  shape = 'token bucket',
  burst = 1,
  perSecond,
  phaseMs = WINDOW_PHASE_MS,
  countsRefused = false
}) {
  const limit = (admit, next) => ({ admit, next, wait: (at) => next(at) - at });
  if (shape === 'token bucket') {
    let tokens = burst;
    let refilledAt = 0;
    const refill = (at) => {
      tokens = Math.min(burst, tokens + ((at - refilledAt) * perSecond) / 1000);
      refilledAt = at;
    };
    return limit(
      (at) => {
        refill(at);
        if (tokens < 1 - 1e-9) return false;
        tokens -= 1;
        return true;
      },
      (at) => {
        refill(at);
        return tokens >= 1 - 1e-9 ? at : at + ((1 - tokens) * 1000) / perSecond;
      }
    );
  }
  if (shape === 'fixed window') {
    const counts = new Map();
    const windowOf = (at) => Math.floor((at + phaseMs) / 1000);
    return limit(
      (at) => {
        const count = counts.get(windowOf(at)) ?? 0;
        if (count < perSecond || countsRefused) counts.set(windowOf(at), count + 1);
        return count < perSecond;
      },
      (at) => {
        let window = windowOf(at);
        while ((counts.get(window) ?? 0) >= perSecond) window += 1;
        return Math.max(at, window * 1000 - phaseMs);
      }
    );
  }
  /** @type {number[]} */
  const counted = [];
  const inWindow = (at) => {
    while (counted.length > 0 && counted[0] <= at - 1000) counted.shift();
    return counted.length;
  };
  return limit(
    (at) => {
      const passes = inWindow(at) < perSecond;
      if (passes || countsRefused) counted.push(at);
      return passes;
    },
    // The oldest of the last `perSecond` counted leaves the window 1 s after it; then one fits.
    (at) => (inWindow(at) < perSecond ? at : counted[counted.length - perSecond] + 1000 + 1e-6)
  );
}

/**
 * @param {{ keys?: Record<string, {role: string, orgId: string, email: string}>, port?: number,
 *   prefix?: string, latencyMs?: number, tls?: { key: string, cert: string }, host?: string,
 *   rateLimit?: { shape?: 'token bucket' | 'fixed window' | 'sliding window', burst?: number,
 *     perSecond: number, retryAfterS?: number, throttleLatencyMs?: number, phaseMs?: number,
 *     countsRefused?: boolean } }} [options]
 *   `tls` serves HTTPS with that key and certificate; `host` is the loopback address to listen on;
 *   `rateLimit` is a limit of one of three shapes (createLimit; Fullstory's own is a token bucket)
 *   on a clock from the first request, and beyond it 429 with Retry-After in whole seconds, after
 *   `throttleLatencyMs` (default: as long as a request that passes).
 */
export async function startEmulator(options = {}) {
  const keys = options.keys ?? DEMO_KEYS;
  const prefix = (options.prefix ?? '').replace(/\/$/, '');
  const latencyMs = options.latencyMs ?? 0;
  const host = options.host ?? '127.0.0.1';
  /** @type {object[]} */
  const queue = [];
  /**
   * Every request, with the scripted behaviour that answered it (undefined: the real /me).
   * @type {{method: string, path: string, headers: http.IncomingHttpHeaders, at: number, behaviour?: object}[]}
   */
  const requests = [];

  const limited = options.rateLimit;
  let limit = limited && createLimit(limited);
  // The limit's clock starts at the first request, as the simulation's starts at the run's first:
  // from the server's start, a fixed window's phase would shift by however long the client took
  // to start, and the same cell would not be the same limit twice.
  /** @type {number | undefined} */
  let startedAt;
  let throttled = 0;

  /** @type {http.RequestListener} */
  const listener = (req, res) => {
    startedAt ??= performance.now();
    const at = performance.now() - startedAt;
    if (limit && !limit.admit(at)) {
      throttled += 1;
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        at: Date.now(),
        behaviour: { status: 429 }
      });
      // Retry-After in whole seconds: as configured, or when the limit lets one through again.
      const retryAfter = limited.retryAfterS ?? Math.max(1, Math.ceil(limit.wait(at) / 1000));
      const reply = () =>
        send(res, 429, { code: 'rate_limited', message: 'Too many requests.' }, { 'retry-after': String(retryAfter) });
      const after = limited.throttleLatencyMs ?? latencyMs;
      return after > 0 ? setTimeout(reply, after) : reply();
    }
    const scripted = queue.shift();
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      at: Date.now(),
      behaviour: scripted
    });
    const respond = () => (scripted ? act(scripted, req, res) : answerMe(req, res));
    if (latencyMs > 0) setTimeout(respond, latencyMs);
    else respond();
  };
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener);

  function answerMe(req, res) {
    if (req.method !== 'GET' || req.url !== `${prefix}/me`) {
      return send(res, 404, { code: 'not_found', message: `no route for ${req.method} ${req.url}` });
    }
    const auth = req.headers.authorization ?? '';
    const identity = auth.startsWith('Basic ') ? keys[auth.slice('Basic '.length)] : undefined;
    if (!identity) {
      return send(res, 401, { code: 'unauthorized', message: 'The API key could not be verified.' });
    }
    return send(res, 200, identity);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${prefix}`,
    port,
    requests,
    /** Queue behaviours for the next requests, in order. */
    script(...behaviours) {
      queue.push(...behaviours);
    },
    /** How many requests the rate limit answered with 429. */
    get throttled() {
      return throttled;
    },
    /** Forget queued behaviours and recorded requests. */
    reset() {
      throttled = 0;
      limit = limited && createLimit(limited);
      startedAt = undefined;
      queue.length = 0;
      requests.length = 0;
    },
    async close() {
      queue.length = 0;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    }
  };
}

function send(res, status, body, headers = {}) {
  const payload = encode(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': payload.length, ...headers });
  res.end(payload);
}

function encode(body) {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The key of the request, as the echo placeholders spell it. */
function echoes(req) {
  const authorization = req.headers.authorization ?? '';
  const key = authorization.replace(/^Basic /, '');
  const half = Math.floor(key.length / 2);
  const each = (spell) => [...key].map(spell).join('');
  const hex = (c) => c.charCodeAt(0).toString(16).padStart(2, '0');
  return {
    '{{key}}': key,
    '{{key:first-half}}': key.slice(0, half),
    '{{key:second-half}}': key.slice(half),
    '{{key:no-realm}}': key.replace(/^(na1|eu1)\./, ''),
    '{{key:entities}}': each((c) => `&#x${hex(c)};`),
    '{{key:percent}}': each((c) => `%${hex(c)}`),
    // After escapes that shift a naive decoder: entities for emoji (two UTF-16 units each), a backslash.
    '{{key:percent-after-emoji}}': '&#x1F600;'.repeat(12) + each((c) => `%${hex(c)}`),
    '{{key:slice-percent-after-backslash}}': `\\${[...key.slice(half - 4, half + 4)].map((c) => `%${hex(c)}`).join('')}`,
    '{{key:escaped}}': each((c) => (/[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : c)),
    '{{key:json}}': each((c) => `\\u${hex(c).padStart(4, '0')}`),
    '{{key:upper}}': key.toUpperCase(),
    '{{key:slice}}': key.slice(half - 4, half + 4),
    '{{key:base64}}': Buffer.from(key).toString('base64'),
    '{{key:basic-base64}}': Buffer.from(authorization).toString('base64'),
    '{{authorization}}': authorization
  };
}

/** Every echo placeholder the emulator fills in, for tests that try them all. */
export const ECHOES = Object.keys(echoes({ headers: {} }));

/** `text` with every echo placeholder filled in; `escape` fits a part into its surroundings (JSON). */
function fill(text, parts, escape = (part) => part) {
  return text.replace(/\{\{(key(:[a-z0-9-]+)?|authorization)\}\}/g, (placeholder) =>
    placeholder in parts ? escape(parts[placeholder]) : placeholder
  );
}

function act(scripted, req, res) {
  const parts = echoes(req);
  const inJson = (part) => JSON.stringify(part).slice(1, -1);
  const behaviour = {
    ...scripted,
    body:
      typeof scripted.body === 'string'
        ? fill(scripted.body, parts)
        : scripted.body !== undefined && !Buffer.isBuffer(scripted.body)
          ? JSON.parse(fill(JSON.stringify(scripted.body), parts, inJson))
          : scripted.body,
    headers:
      scripted.headers &&
      Object.fromEntries(
        Object.entries(scripted.headers).map(([name, value]) => [
          name,
          typeof value === 'string' ? fill(value, parts) : value
        ])
      )
  };
  const run = () => {
    if (behaviour.hang === true) return;
    if (behaviour.reset === 'before-headers') return req.socket.destroy();
    // Answers that never settle a request: written raw, since http.ServerResponse will not.
    if (behaviour.upgrade) {
      return req.socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    }
    if (behaviour.informational) {
      const { status: code = 102, intervalMs = 100 } = behaviour.informational;
      return repeatForever(req.socket, `HTTP/1.1 ${code} Informational\r\n\r\n`, intervalMs);
    }
    if (behaviour.endlessHeaders) {
      req.socket.write('HTTP/1.1 200 OK\r\n');
      return repeatForever(req.socket, 'x-more: 1\r\n', behaviour.endlessHeaders.intervalMs);
    }
    const payload = encode(behaviour.body);
    const headers = { 'content-type': 'application/json', 'content-length': payload.length, ...behaviour.headers };
    if (behaviour.chunked) delete headers['content-length'];
    const status = behaviour.status ?? 200;
    if (behaviour.hang === 'after-headers') {
      res.writeHead(status, headers);
      return res.flushHeaders();
    }
    if (behaviour.reset === 'after-headers') {
      res.writeHead(status, headers);
      res.flushHeaders();
      return setTimeout(() => req.socket.destroy(), 20);
    }
    if (behaviour.reset === 'mid-body') {
      res.writeHead(status, headers);
      res.write(payload.subarray(0, Math.floor(payload.length / 2)));
      return setTimeout(() => req.socket.destroy(), 20);
    }
    if (behaviour.dripHeaders) {
      const raw = Buffer.from(`HTTP/1.1 ${status} OK\r\ncontent-length: ${payload.length}\r\n\r\n`);
      return trickle(req.socket, Buffer.concat([raw, payload]), behaviour.dripHeaders.intervalMs);
    }
    if (behaviour.drip) {
      res.writeHead(status, headers);
      res.flushHeaders();
      return trickle(res, payload, behaviour.drip.intervalMs);
    }
    res.writeHead(status, headers);
    res.end(payload);
  };
  if (behaviour.delayMs) setTimeout(run, behaviour.delayMs);
  else run();
}

/** Writes `text` every interval until the socket closes. */
function repeatForever(socket, text, intervalMs = 100) {
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(text)), intervalMs);
  socket.on('close', () => clearInterval(timer));
}

/** Writes one byte per interval, then ends: the server that never goes idle long enough to time out. */
function trickle(stream, bytes, intervalMs = 100) {
  let i = 0;
  const timer = setInterval(() => {
    if (stream.destroyed) return clearInterval(timer);
    if (i >= bytes.length) {
      clearInterval(timer);
      return stream.end();
    }
    stream.write(bytes.subarray(i, i + 1));
    i += 1;
  }, intervalMs);
  stream.on('close', () => clearInterval(timer));
}

// As a program: serve the demo keys until interrupted. (By name: bundled into another program,
// import.meta.url is that program's.)
if (basename(process.argv[1] ?? '') === 'fullstory-emulator.mjs') {
  const portArg = process.argv.indexOf('--port');
  const emulator = await startEmulator({ port: portArg > 0 ? Number(process.argv[portArg + 1]) : 0 });
  console.log(`Fullstory /me emulator at ${emulator.url}`);
  for (const [key, identity] of Object.entries(DEMO_KEYS)) console.log(`  ${identity.role.padEnd(10)} ${key}`);
  process.on('SIGINT', () => emulator.close().then(() => process.exit(0)));
}
