// The Fullstory API edge: one GET /me within a time budget, with retries, as Fullstory's developer
// docs describe it (Authentication, the v1 Me endpoint, Limits); where they are silent, this
// module fails closed.

import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import tls from 'node:tls';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import { TimeUp, type Deadline } from './deadline.js';
import { Gate, RateGate } from './limiter.js';
import { Redactor, secrets } from './redact.js';
import { asText, kept, message, q, type Message, type Quoted } from './text.js';
import { MIN_KEY_LENGTH, type Environment } from './inputs.js';
import type { Cause, Me, MeOutcome } from './verdict.js';
import { VERSION } from './version.js';

export const USER_AGENT = `fullstory-key-check/${VERSION}`;

// No finite-field Diffie-Hellman key exchange: a server (or anything posing as one) may send a
// modulus of 10,000 bits, and every such handshake holds the event loop for most of a second, past
// any deadline. Every TLS server worth talking to offers ECDHE. Set for the process, since a
// proxy's tunnel (http-client's `tunnel` agent) takes no TLS options from the request.
tls.DEFAULT_CIPHERS += ':!kDHE';

/**
 * NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate verification off for the whole process: Node
 * reads it at every TLS connection (the request, a proxy's tunnel, Octokit's for the alert issue).
 * Teams set it job-wide for other tools; here it would hand the key to whoever answers. It is taken
 * out of this process's environment before the first connection. True when it was set to `0`.
 */
export function keepTlsVerified(env: Environment = process.env): boolean {
  const off = process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0' || env.NODE_TLS_REJECT_UNAUTHORIZED === '0';
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  return off;
}

/** The warning for keepTlsVerified. */
export const TLS_KEPT =
  'NODE_TLS_REJECT_UNAUTHORIZED=0 is set and is ignored here: the key is sent only over TLS that verifies. ' +
  'If a proxy re-signs TLS with its own CA, give that CA to Node with NODE_EXTRA_CA_CERTS.';

/** /me answers with three short strings; anything near this size is not /me. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface MeRequest {
  meUrl: URL;
  apiKey: string;
  maxAttempts: number;
}

/**
 * What one HTTP answer means: a failure with its cause, as facts (verdict.ts advises). A retry
 * without a cause is a rate limit when it says so, else a connection that broke.
 */
export type Answer =
  | { kind: 'answered'; me: Me }
  | { kind: 'rejected'; reason: Message }
  | { kind: 'failed'; reason: Message; cause: Cause }
  | { kind: 'retry'; reason: Message; cause?: Cause; rateLimited?: true; retryAfterMs?: number };

const causeOf = (answer: Extract<Answer, { kind: 'retry' }>): Cause =>
  answer.cause ?? (answer.rateLimited ? { kind: 'rate-limit' } : { kind: 'network' });

/** Only these answers are worth reading: the others say all they mean in their status. */
export function wantsBody(status: number): boolean {
  return status === 200 || status === 401 || status === 403;
}

/** What the server said is kept as it came, in values (Quoted) apart from our prose. */
export function classify(status: number, headers: IncomingHttpHeaders, body: string, now: number): Answer {
  if (status === 200) return parseMe(body, headers['content-type']);
  if (status === 401 || status === 403) {
    const detail = errorDetail(body);
    return {
      kind: 'rejected',
      reason: message`Fullstory ${status === 401 ? 'could not verify' : 'refused'} the key (HTTP ${status}${detail}): it is wrong or has been revoked.`
    };
  }
  if (status === 429) {
    return {
      kind: 'retry',
      reason: message`Fullstory rate-limited the check (HTTP 429)`,
      cause: { kind: 'rate-limit' },
      rateLimited: true,
      retryAfterMs: parseRetryAfter(headers['retry-after'], now)
    };
  }
  if (status >= 500 && status <= 599) {
    return {
      kind: 'retry',
      reason: message`Fullstory answered HTTP ${status} (a server error)`,
      cause: { kind: 'server' }
    };
  }
  if (status >= 300 && status <= 399) {
    const location = typeof headers.location === 'string' ? message` to ${q(headers.location)}` : [];
    return {
      kind: 'failed',
      reason: message`api-url answered with a redirect (HTTP ${status}${location}), which was not followed, so the key went nowhere else.`,
      cause: { kind: 'redirect' }
    };
  }
  return {
    kind: 'failed',
    reason: message`api-url answered HTTP ${status}; only a 200 answer can verify a key.`,
    cause: { kind: 'status', status }
  };
}

/** A JSON media type, parameters aside: application/json, or a structured +json type. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

function parseMe(body: string, contentType: string | undefined): Answer {
  const notVerified = (why: Message): Answer => ({
    kind: 'failed',
    reason: message`Fullstory answered 200, but ${why}, so the key could not be verified.`,
    cause: { kind: 'not-me' }
  });
  // /me answers JSON; a 200 of another type is a proxy's or a portal's page, whatever it holds.
  if (!JSON_MEDIA_TYPE.test(contentType ?? '')) {
    return notVerified(
      contentType === undefined
        ? message`without a content type, not as JSON`
        : message`as ${q(contentType)}, not as JSON`
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return notVerified(message`the body is not JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return notVerified(message`the body is not a JSON object`);
  }
  const { email } = json as Record<string, unknown>;
  const mail = typeof email === 'string' ? kept(email) : '';
  // The creator's email is for the email output only: wherever else the answer repeats it (in any
  // case, or escaped as JSON, HTML or a URL escapes it), it is taken out.
  const creator = new Redactor(
    mail.trim() === '' ? [] : [{ value: mail.trim(), label: 'the email of the key creator' }]
  );
  const { role, orgId } = json as Record<string, unknown>;
  if (typeof role !== 'string') return notVerified(message`without a string "role"`);
  // Where the answer enters: kept short, then redacted, keys first, so that a key the answer
  // echoes is labelled as the key it is.
  const text = (value: unknown) => (typeof value === 'string' ? creator.redact(secrets.redact(kept(value))) : '');
  return { kind: 'answered', me: { role: text(role), orgId: text(orgId), email: mail } };
}

/** `: "message"` from a Fullstory error body `{"code": ..., "message": ...}`, or nothing. */
function errorDetail(body: string): Message {
  try {
    const fields = JSON.parse(body) as Record<string, unknown>;
    const said = [fields.message, fields.code].find((field) => typeof field === 'string' && field.trim() !== '');
    return typeof said === 'string' ? message`: ${q(said)}` : [];
  } catch {
    return [];
  }
}

/**
 * Retry-After in milliseconds: delay-seconds or an HTTP-date (RFC 9110). Anything else, negative
 * numbers included, is ignored and the ordinary backoff applies.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse alone is lenient ("-1" and "1.5" are dates to it): an HTTP-date opens with its day.
  const date = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** One request for GET /me and what its answer means; throws TimeUp when the deadline passes first. */
export type Send = (request: MeRequest, deadline: Deadline) => Promise<Answer>;

/**
 * Sends the key as Fullstory wants it, `Basic {key}` without base64, and ties every request to the
 * deadline's signal, so that the socket is destroyed when the deadline passes.
 */
class FullstoryKey implements RequestHandler {
  constructor(
    private readonly apiKey: string,
    private readonly signal: AbortSignal
  ) {}
  prepareRequest(options: RequestOptions): void {
    options.headers = { ...options.headers, authorization: `Basic ${this.apiKey}` };
    options.signal = this.signal;
    // http-client passes URL.hostname as the host, and for an IPv6 literal that keeps its brackets,
    // which Node then tries to look up as a name: http://[::1]:8080 would never connect.
    if (typeof options.host === 'string') options.host = options.host.replace(/^\[(.*)\]$/, '$1');
  }
  canHandleAuthentication(): boolean {
    return false;
  }
  handleAuthentication(): Promise<HttpClientResponse> {
    throw new Error('not used');
  }
}

class BodyTooLarge extends Error {}

/** Reads at most MAX_BODY_BYTES. */
async function readBody(message: IncomingMessage): Promise<string> {
  if (Number(message.headers['content-length']) > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of message as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
      chunks.push(chunk);
    }
  } finally {
    message.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One GET /me, raced against the deadline. The race is what bounds it: the client's socketTimeout
 * is an idle timeout, which a server that drips its answer outlives, and some answers never settle
 * the request at all (a 101 to a plain GET; a proxy that never answers CONNECT, before any socket
 * exists for the signal to destroy). Throws TimeUp when the deadline passes first.
 */
export async function requestOnce(request: MeRequest, deadline: Deadline): Promise<Answer> {
  const client = new HttpClient(USER_AGENT, [new FullstoryKey(request.apiKey, deadline.signal)], {
    // A redirect must never carry the key anywhere: http-client would follow it and resend headers.
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false,
    // Idle a second past the deadline: the deadline's race ends the wait, so a server that hangs reads
    // as no answer in time, never as a dropped connection when both timers fire in the same tick.
    socketTimeout: deadline.remainingMs() + 1000
  });
  try {
    const response = await deadline.race(client.get(request.meUrl.href, { accept: 'application/json' }));
    const status = response.message.statusCode ?? 0;
    // Node keeps the first of two Content-Type headers, fetch the last: both are kept, to be refused.
    const raw = response.message.rawHeaders;
    const types = raw.filter((_value, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'content-type');
    const headers =
      types.length > 1 ? { ...response.message.headers, 'content-type': types.join(', ') } : response.message.headers;
    let body = '';
    if (wantsBody(status)) {
      body = await deadline.race(readBody(response.message));
    } else {
      response.message.destroy();
    }
    return classify(status, headers, body, Date.now());
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      return {
        kind: 'failed',
        reason: message`Fullstory's answer is larger than ${MAX_BODY_BYTES / 1024} KiB, which /me never is.`,
        cause: { kind: 'not-me' }
      };
    }
    if (deadline.passed) throw new TimeUp();
    const code = networkError(error);
    if (UNTRUSTED_CERTIFICATE.test(asText([code]))) {
      // Verification is never turned off; a certificate does not become trusted by asking again.
      return {
        kind: 'failed',
        reason: message`The TLS certificate of ${request.meUrl.host} is not trusted (${code}), so the key was not sent.`,
        cause: { kind: 'certificate' }
      };
    }
    const proxy = proxyOf(request.meUrl);
    const through = proxy === undefined ? '' : ` through the proxy ${proxy}`;
    return {
      kind: 'retry',
      reason: message`could not reach ${request.meUrl.host}${through}: ${code}`,
      cause: networkCause(error, proxy === undefined ? undefined : proxyVariable(request.meUrl)?.name)
    };
  } finally {
    client.dispose();
  }
}

/** The proxy variable @actions/http-client would read for `url`, when it is set and not bypassed. */
function proxyVariable(url: URL): { name: string; value: string } | undefined {
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const name = names.find((one) => process.env[one]);
  if (name === undefined || checkBypass(url)) return undefined;
  return { name, value: process.env[name]! };
}

/** A URL as a person reads it past its `scheme://`. */
const withoutScheme = (value: string) => value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');

/** A proxy URL's user name and password, as a person reads it: all before its last `@`. */
function credentials(value: string): string | undefined {
  const rest = withoutScheme(value);
  const at = rest.lastIndexOf('@');
  return at === -1 ? undefined : rest.slice(0, at);
}

/**
 * The user names and passwords in the proxy variables, to be masked and redacted like keys: a
 * proxy, or an error about it, may repeat its URL, or the Proxy-Authorization it was sent. Each as
 * written, and as http-client sends it: its URL parser's user and password, %XX decoded
 * (DecodedURL). Like a key, one shorter than MIN_KEY_LENGTH is left out: redacting a user `user`
 * (any case) would take the role out of every Standard key's answer, and fail it.
 */
export function proxyCredentials(env: Environment = process.env): string[] {
  return ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].flatMap((name) => {
    // Without the spaces around it that the URL parser drops: ` http://` is no part of a password.
    const value = (env[name] ?? '').trim();
    const found = credentials(value);
    if (found === undefined || found === '') return [];
    const sent = sentCredentials(value);
    const forms = sent === undefined || sent === found ? [found] : [found, sent];
    return forms.filter((form) => form.length >= MIN_KEY_LENGTH);
  });
}

/** What @actions/http-client's getProxyUrl sends as `user:password` for a proxy variable, if anything. */
function sentCredentials(value: string): string | undefined {
  for (const candidate of [value, `http://${value}`]) {
    try {
      const url = new URL(candidate);
      const [user, password] = [decodeURIComponent(url.username), decodeURIComponent(url.password)];
      return user === '' && password === '' ? undefined : `${user}:${password}`;
    } catch {
      if (value.startsWith('http://') || value.startsWith('https://')) return undefined;
    }
  }
  return undefined;
}

/**
 * A proxy by host and port only, never with what stands before its `@`, whether or not the URL
 * is well formed.
 */
export function proxyHost(value: string): string {
  const rest = withoutScheme(value);
  return rest.slice(rest.lastIndexOf('@') + 1).split(/[/?#\\]/)[0]!;
}

/**
 * Why the proxy variable for this URL cannot be used, when it is set: http-client would then go
 * around it, silently, straight to the host, or to a host it misread.
 */
function unreadableProxy(url: URL): { reason: Message; cause: Cause } | undefined {
  const proxy = proxyVariable(url);
  if (proxy === undefined) return undefined;
  const { name, value } = proxy;
  // `http://user:pa/ss@host:3128` is, to a URL parser, host `user` with a path: the `/` (or `?`,
  // `#`, or `\`, which the parser reads as `/`: `CORP\jdoe` in an NTLM user name) must be
  // percent-encoded, or the proxy is not the one a person reads.
  const authority = withoutScheme(value).split(/[/?#\\]/)[0]!;
  if (credentials(value) !== undefined && !authority.includes('@')) {
    return {
      reason: message`${name} has a /, ?, # or \\ in its user name or password that is not percent-encoded, so the proxy it names cannot be read, and the key was not sent.`,
      cause: { kind: 'proxy-variable', name, unencoded: true }
    };
  }
  try {
    const parsed = getProxyUrl(url);
    // `proxy.example:3128` parses as a URL of scheme `proxy.example:`, with no host to connect to.
    if (parsed !== undefined && ['http:', 'https:'].includes(parsed.protocol) && parsed.hostname !== '') {
      return undefined;
    }
  } catch {
    // not a URL at all
  }
  return {
    reason: message`${name} is set but is not an http:// or https:// URL, so the key was not sent: the request would have gone around the proxy.`,
    cause: { kind: 'proxy-variable', name, unencoded: false }
  };
}

/**
 * What kind of network error this is, from Node's code: a name that does not resolve, a port where
 * nothing listens and TLS that cannot start are the configuration's (api-url's, or the proxy's);
 * the rest (resets, hang-ups, a network unreachable for now) may pass.
 */
function networkCause(error: unknown, proxy: string | undefined): Cause {
  const { code, message: said } = error as { code?: unknown; message?: unknown };
  const through = proxy === undefined ? {} : { proxy };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', ...through };
  if (code === 'ECONNREFUSED') return { kind: 'refused', ...through };
  if (code === 'EPROTO' || (typeof code === 'string' && code.startsWith('ERR_SSL_'))) {
    // OpenSSL's words for a first record that is no TLS at all: plain HTTP on that port.
    const plainHttp = typeof said === 'string' && /wrong version number|packet length too long/i.test(said);
    return { kind: 'protocol', plainHttp, ...through };
  }
  return { kind: 'network', ...through };
}

/** The proxy a request to `url` goes through, by host and port only (its URL may hold a password). */
function proxyOf(url: URL): string | undefined {
  const proxy = proxyVariable(url);
  return proxy === undefined ? undefined : proxyHost(proxy.value) || undefined;
}

/** OpenSSL's and Node's codes for a certificate that failed verification. */
const UNTRUSTED_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/;

/** Node's code for a network error (ECONNRESET), or else its message, which may quote the server. */
function networkError(error: unknown): string | Quoted {
  const { code, message: text } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
  return q(typeof text === 'string' ? text : String(error));
}

/** A wait the server chose, for prose: whole seconds, and no more digits than an hour has. */
function seconds(ms: number): string {
  return ms > 3600_000 ? 'more than an hour' : `${Math.ceil(ms / 1000)} s`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The wait before retry number `attempt` (1 for the first) after a 5xx or a network error:
 * exponential from 500 ms, capped at 8 s, with "equal jitter" (half fixed, half random), so that
 * clients that failed together do not come back together, yet none comes back at once.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(8000, 500 * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * GET /me, retried until the run's deadline: a 429 after its Retry-After (it is the run's pace that
 * was too fast, not this key's request that failed, so it is no attempt), 5xx and network errors
 * after backoffMs, up to maxAttempts, and nothing else. Every request goes through `gate`, which
 * every key of a run shares. Never throws: every way it can end is an outcome.
 */
export async function fetchMe(
  request: MeRequest,
  deadline: Deadline,
  gate: Gate = new Gate(new RateGate(1, () => deadline.clock.now()), deadline.clock),
  send: Send = requestOnce
): Promise<MeOutcome> {
  const budget = deadline.budgetMs / 1000;
  const failed = (reason: Message, cause: Cause, requests: number): MeOutcome => ({
    kind: 'failed',
    reason,
    cause,
    attempts: requests
  });
  /** The last failure that may pass with another attempt: a 429, a 5xx, a connection that broke. */
  let last: Extract<Answer, { kind: 'retry' }> | undefined;
  const timedOut = (requests: number) => {
    const cause: Cause = { kind: 'timeout', budgetMs: deadline.budgetMs, attempts: requests };
    if (last !== undefined) cause.last = causeOf(last);
    return requests === 0
      ? failed(
          message`Not checked within timeout-seconds (${budget} s): the step's time ran out before this key's turn.`,
          cause,
          0
        )
      : failed(
          message`Could not verify the key: no answer within timeout-seconds (${budget} s, ${count(requests, 'attempt')}).${last === undefined || last.reason.length === 0 ? '' : message` The last failure: ${last.reason}.`}`,
          cause,
          requests
        );
  };

  const proxyProblem = unreadableProxy(request.meUrl);
  if (proxyProblem !== undefined) return failed(proxyProblem.reason, proxyProblem.cause, 0);
  let requests = 0;
  let failures = 0;
  let throttles = 0;
  for (;;) {
    if (deadline.passed) return timedOut(requests);
    let sent: number;
    try {
      sent = await gate.enter(deadline, { retry: requests > 0 });
    } catch {
      return timedOut(requests); // the gate throws only when the deadline passes
    }
    requests += 1;
    let answer: Answer;
    try {
      answer = await send(request, deadline);
    } catch {
      gate.leave(sent);
      return timedOut(requests); // only the deadline makes it throw
    }
    if (answer.kind === 'retry' && answer.rateLimited) {
      throttles += 1;
      last = answer;
      const wait = answer.retryAfterMs ?? backoffMs(throttles);
      gate.leave(sent, wait);
      const left = deadline.remainingMs();
      if (wait >= left) {
        // Waiting past the budget would only end in a timeout: say what really happened, now.
        return failed(
          message`Could not verify the key: ${answer.reason} and asked to retry after ${seconds(wait)}, more than is left of timeout-seconds (${budget} s).`,
          { kind: 'retry-after', waitMs: wait, elapsedMs: deadline.budgetMs - left, budgetMs: deadline.budgetMs },
          requests
        );
      }
      try {
        await deadline.sleep(wait);
      } catch {
        return timedOut(requests);
      }
      continue;
    }
    gate.leave(sent);
    if (answer.kind !== 'retry') return { ...answer, attempts: requests };
    last = answer;
    failures += 1;
    if (failures >= request.maxAttempts) {
      return failed(
        message`Could not verify the key after ${count(requests, 'attempt')}: ${answer.reason}.`,
        { kind: 'attempts', maxAttempts: request.maxAttempts, last: causeOf(answer) },
        requests
      );
    }
    const wait = backoffMs(failures);
    if (wait >= deadline.remainingMs()) return timedOut(requests);
    try {
      await deadline.sleep(wait);
    } catch {
      return timedOut(requests);
    }
  }
}
