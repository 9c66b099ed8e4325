import { describe, expect, it } from '@jest/globals';
import {
  backoffMs,
  classify,
  fetchMe,
  parseRetryAfter,
  proxyCredentials,
  requestOnce,
  wantsBody,
  MAX_BODY_BYTES
} from '../src/fullstory.js';
import { Redactor } from '../src/redact.js';
import { Deadline, TimeUp } from '../src/deadline.js';
import { startEmulator } from '../emulator/fullstory-emulator.mjs';
import { MAX_KEPT_LENGTH, Quoted, asText, type Message } from '../src/text.js';
import { failureAdvice, type Cause } from '../src/verdict.js';

const reasonOf = (answer: ReturnType<typeof classify>) => ('reason' in answer ? asText(answer.reason) : '');

const NOW = Date.parse('2026-11-28T12:00:00Z');
const me = JSON.stringify({ email: 'daniel@falko.com', orgId: 'ABC', role: 'ADMIN' });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('classify', () => {
  it('reads role, orgId and email from a 200', () => {
    expect(classify(200, JSON_TYPE, me, NOW)).toEqual({
      kind: 'answered',
      me: { role: 'ADMIN', orgId: 'ABC', email: 'daniel@falko.com' }
    });
  });

  it('keeps a blank email (a legacy org key) and tolerates a missing orgId', () => {
    expect(classify(200, JSON_TYPE, '{"role":"USER","email":""}', NOW)).toEqual({
      kind: 'answered',
      me: { role: 'USER', orgId: '', email: '' }
    });
  });

  it('reads the same name in a nested object as no repetition', () => {
    expect(classify(200, JSON_TYPE, '{"role":"USER","x":{"role":"ADMIN"}}', NOW)).toMatchObject({
      me: { role: 'USER' }
    });
  });

  it.each([
    [{ 'content-type': 'application/json; charset=utf-8' }, 'answered'],
    [{ 'content-type': 'Application/JSON' }, 'answered'],
    [{ 'content-type': 'application/problem+json' }, 'answered'],
    [{ 'content-type': 'text/html' }, 'failed'],
    [{ 'content-type': 'text/plain; a=application/json' }, 'failed'],
    [{ 'content-type': 'application/jsonp' }, 'failed'],
    [{ 'content-type': '' }, 'failed'],
    [{}, 'failed']
  ])('reads a 200 only as JSON: %j is %s', (headers, kind) => {
    const answer = classify(200, headers, me, NOW);
    expect(answer.kind).toBe(kind);
    if (kind === 'failed')
      expect(reasonOf(answer)).toMatch(/^Fullstory answered 200, but (as ".*"|without a content type), not as JSON/);
  });

  it.each([
    ['in another case', 'Person@Example.com', 'person@example.com'],
    ['with its accents decomposed', 'jose\u0301@example.com', 'jos\u00e9@example.com'],
    ['percent-encoded', 'owner=person%40example.com', 'person@example.com'],
    ['as an HTML entity', 'o-1 person&#64;example.com', 'person@example.com']
  ])("keeps the creator's email out of every field but email: %s", (_how, spelled, email) => {
    const body = JSON.stringify({ role: spelled, orgId: `o-1 ${spelled}`, email });
    const answer = classify(200, JSON_TYPE, body, NOW);
    expect(answer).toMatchObject({ kind: 'answered', me: { email } });
    const { role, orgId } = (answer as { me: { role: string; orgId: string } }).me;
    for (const field of [role, orgId]) {
      expect(field).toContain('[redacted: the email of the key creator]');
      expect(field.normalize('NFKD').toLowerCase()).not.toMatch(/example/);
    }
  });

  it('keeps at most MAX_KEPT_LENGTH characters of each field, marked as cut', () => {
    const long = 'R'.repeat(MAX_KEPT_LENGTH * 10);
    const mail = 'E'.repeat(MAX_KEPT_LENGTH * 10);
    const answer = classify(200, JSON_TYPE, JSON.stringify({ role: long, orgId: long, email: mail }), NOW);
    const cut = `${'R'.repeat(MAX_KEPT_LENGTH)}…`;
    expect(answer).toEqual({
      kind: 'answered',
      me: { role: cut, orgId: cut, email: `${'E'.repeat(MAX_KEPT_LENGTH)}…` }
    });
  });

  it.each([
    '',
    'null',
    '[]',
    '"USER"',
    '{"role":["USER"]}',
    '{"role":{"name":"USER"}}',
    '{"Role":"USER"}',
    '{"role":true}'
  ])('a 200 with %j cannot verify', (body) => expect(classify(200, JSON_TYPE, body, NOW).kind).toBe('failed'));

  it.each([401, 403])('%i rejects the key, with the API message quoted on one line', (status) => {
    const answer = classify(status, {}, '{"code":"unauthorized","message":"bad\\n::add-mask::x"}', NOW);
    expect(answer.kind).toBe('rejected');
    expect(reasonOf(answer)).toContain(`HTTP ${status}: "bad\\n::add-mask::x"`);
    expect(reasonOf(answer)).not.toContain('\n');
  });

  it('a 401 without a JSON body still rejects', () => {
    const answer = classify(401, {}, 'Unauthorized', NOW);
    expect(answer.kind).toBe('rejected');
    expect(reasonOf(answer)).toMatch(/^Fullstory could not verify the key \(HTTP 401\)/);
  });

  it('429 retries after Retry-After', () => {
    expect(classify(429, { 'retry-after': '7' }, '', NOW)).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
    expect(classify(429, {}, '', NOW)).toMatchObject({ kind: 'retry', retryAfterMs: undefined });
  });

  it.each([500, 502, 503, 504, 599])('%i retries', (status) =>
    expect(classify(status, {}, '', NOW).kind).toBe('retry')
  );

  it.each([100, 101, 199, 201, 202, 204, 206, 299, 300, 301, 304, 308, 399, 400, 404, 405, 408, 409, 422, 499, 600, 0])(
    '%i fails without retry',
    (status) => expect(classify(status, {}, me, NOW).kind).toBe('failed')
  );

  it.each([300, 399])('%i is a redirect, not followed', (status) => {
    expect(reasonOf(classify(status, {}, '', NOW))).toContain(`api-url answered with a redirect (HTTP ${status})`);
  });

  it('names where a redirect pointed, quoted on one line', () => {
    const answer = classify(302, { location: 'https://evil.example/\r\n::error::x' }, '', NOW);
    expect(answer.kind).toBe('failed');
    expect(reasonOf(answer)).toContain('HTTP 302 to "https://evil.example/\\r\\n::error::x"');
  });
});

describe('classify keeps what the server said as values, apart from its prose', () => {
  it('in a 401 message, a Location and the fields of a 200', () => {
    const rejected = classify(401, {}, JSON.stringify({ message: 'no <b>key</b>' }), NOW);
    expect(rejected.kind === 'rejected' && rejected.reason).toContainEqual(new Quoted('no <b>key</b>'));
    const moved = classify(302, { location: 'https://x.example/@me' }, '', NOW);
    expect(moved.kind === 'failed' && moved.reason).toContainEqual(new Quoted('https://x.example/@me'));
    expect(classify(200, JSON_TYPE, '{"role":" ADMIN ","orgId":"o\\n1"}', NOW)).toEqual({
      kind: 'answered',
      me: { role: ' ADMIN ', orgId: 'o\n1', email: '' }
    });
  });
});

describe('wantsBody', () => {
  it('reads only the answers whose body means something', () => {
    expect([200, 201, 401, 403, 429, 500, 302].filter(wantsBody)).toEqual([200, 401, 403]);
    expect(MAX_BODY_BYTES).toBe(65536);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['1', 1000],
    [' 120 ', 120_000],
    ['Sat, 28 Nov 2026 12:00:30 GMT', 30_000],
    ['Sat, 28 Nov 2026 11:00:00 GMT', 0],
    [['5', '9'], 5000]
  ] as const)('%j → %i ms', (value, ms) => expect(parseRetryAfter(value as string | string[], NOW)).toBe(ms));

  it.each([undefined, '', '-1', '1.5', 'soon', '0x10', '1e3', 'Someday', '2026-11-28T12:00:30Z'])(
    '%j is ignored',
    (value) => expect(parseRetryAfter(value, NOW)).toBeUndefined()
  );

  it('a huge value stays huge, so it cannot fit any budget', () => {
    expect(parseRetryAfter('99999999999999999999', NOW)).toBeGreaterThan(3600_000);
  });
});

describe('backoffMs', () => {
  it('doubles from 500 ms up to 8 s, with half of each wait random', () => {
    const low = [1, 2, 3, 4, 5, 6, 9].map((attempt) => backoffMs(attempt, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 9].map((attempt) => backoffMs(attempt, () => 1));
    expect(low).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect(high).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe('fetchMe and the proxy variables', () => {
  it.each(['http://[::1', 'http://a b', '::', 'proxy.example:3128', 'socks5://proxy.example:1080'])(
    'sends nothing when https_proxy is set but is no http(s) URL (%j): it would go around the proxy',
    async (proxy) => {
      const saved = process.env.https_proxy;
      process.env.https_proxy = proxy;
      const deadline = new Deadline(5000);
      try {
        const outcome = await fetchMe(
          { meUrl: new URL('https://api.fullstory.invalid/me'), apiKey: 'na1.key', maxAttempts: 1 },
          deadline
        );
        expect(outcome).toMatchObject({ kind: 'failed', attempts: 0 });
        expect(asText((outcome as { reason: Message }).reason)).toBe(
          'https_proxy is set but is not an http:// or https:// URL, so the key was not sent: the request would have gone around the proxy.'
        );
        // The fact here, what to do in verdict.ts.
        expect(asText(failureAdvice((outcome as { cause: Cause }).cause))).toBe(
          'Fix https_proxy (e.g. http://proxy.example:3128) or unset it.'
        );
      } finally {
        deadline.dispose();
        if (saved === undefined) delete process.env.https_proxy;
        else process.env.https_proxy = saved;
      }
    }
  );

  it("a server that hangs past the deadline is no answer in time, though the socket's own timer fires first", async () => {
    // The socket's idle timer runs on real time; this deadline on a clock at half speed. With the
    // idle timeout at the time left, it fired first and a hang read as a dropped connection.
    const fullstory = await startEmulator();
    fullstory.script({ hang: true });
    const halfSpeed = {
      now: () => performance.now() / 2,
      schedule: (fire: () => void, ms: number) => {
        const timer = setTimeout(fire, 2 * ms);
        return () => clearTimeout(timer);
      }
    };
    const deadline = new Deadline(200, halfSpeed);
    try {
      const request = { meUrl: new URL(`${fullstory.url}/me`), apiKey: 'na1.someKey0000000000', maxAttempts: 1 };
      await expect(requestOnce(request, deadline)).rejects.toBeInstanceOf(TimeUp);
    } finally {
      deadline.dispose();
      await fullstory.close();
    }
  });

  it('names the proxy, by host and port only, when the request fails through it', async () => {
    const saved = process.env.https_proxy;
    process.env.https_proxy = 'http://user:pass@127.0.0.1:1';
    const deadline = new Deadline(5000);
    try {
      const outcome = await fetchMe(
        { meUrl: new URL('https://api.fullstory.invalid/me'), apiKey: 'na1.someKey0000000000', maxAttempts: 1 },
        deadline
      );
      expect(outcome.kind).toBe('failed');
      // The tunnel agent reports a refused CONNECT as a reset.
      const reason = asText((outcome as { reason: Message }).reason);
      expect(reason).toMatch(
        /^Could not verify the key after 1 attempt: could not reach api\.fullstory\.invalid through the proxy 127\.0\.0\.1:1: (ECONNREFUSED|ECONNRESET)/
      );
      expect(reason).not.toContain('pass');
    } finally {
      deadline.dispose();
      if (saved === undefined) delete process.env.https_proxy;
      else process.env.https_proxy = saved;
    }
  });

  it('redacts a proxy user and password as written in the URL and as the proxy is sent them, decoded', () => {
    const found = proxyCredentials({ https_proxy: 'http://jdoe:p%40ss%2Fw0rd%21x@proxy.example:3128' });
    expect(found).toEqual(['jdoe:p%40ss%2Fw0rd%21x', 'jdoe:p@ss/w0rd!x']);
    const redactor = new Redactor(found.map((value) => ({ value, label: 'proxy' })));
    // What a proxy repeats of the Proxy-Authorization header it got, as text and as base64.
    expect(redactor.redact('Proxy-Authorization for jdoe:p@ss/w0rd!x rejected')).toBe(
      'Proxy-Authorization for [redacted: proxy] rejected'
    );
    const basic = `Basic ${Buffer.from('jdoe:p@ss/w0rd!x').toString('base64')}`;
    expect(
      Buffer.from(redactor.redact(basic).replace(/^Basic |\[redacted: proxy\]/g, ''), 'base64').toString()
    ).not.toMatch(/ss\/w0rd/);
    // What the URL parser makes of it: tabs dropped, the user and password before the host's `@`.
    expect(proxyCredentials({ https_proxy: 'http://jdoe:Xk7Qp2\tZr9Lm4\tWx8@proxy.example:3128' })).toEqual([
      'jdoe:Xk7Qp2\tZr9Lm4\tWx8',
      'jdoe:Xk7Qp2Zr9Lm4Wx8'
    ]);
    expect(proxyCredentials({ https_proxy: 'http://jdoe:a%40b%40c%40d@proxy.example:3128/%zz@x' })).toEqual([
      'jdoe:a%40b%40c%40d@proxy.example:3128/%zz',
      'jdoe:a@b@c@d'
    ]);
    // Spaces around the variable are no part of it: its scheme stays out of what is redacted.
    expect(proxyCredentials({ https_proxy: ' http://jdoe:Xk7Qp2Zr9@proxy.example:3128\n' })).toEqual([
      'jdoe:Xk7Qp2Zr9'
    ]);
    // A %XX that is malformed is kept as written only, as http-client could not decode it either.
    expect(proxyCredentials({ HTTPS_PROXY: 'http://jdoe:100%zz@proxy.example:3128' })).toEqual(['jdoe:100%zz']);
    // Like a key, a form shorter than 8 is none: `user` would be redacted out of every role USER.
    expect(
      proxyCredentials({ https_proxy: 'http://user@p.example:3128', HTTP_PROXY: 'http://jo:pw@p.example:1' })
    ).toEqual([]);
    // Each form by itself: as written, 8; as sent (`jo:pw1:`), 7.
    expect(proxyCredentials({ https_proxy: 'http://jo%3Apw1@p.example:3128' })).toEqual(['jo%3Apw1']);
  });
});
