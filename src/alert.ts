// The alert issue for scheduled checks: a failed scheduled workflow notifies only whoever last
// edited its cron line, so a failing check opens (or comments on) one issue, and a healthy one
// closes it. One issue per check, not per repository: a check is its workflow file and job (and
// `check-name`, for the legs of a matrix), kept in the issue as a marker no reader sees, so that
// another check of the same repository never comments on or closes it. Loaded only when
// alert-issue is on; it runs after the verdict, on a clock and a budget of its own. GitHub's answers
// are remote text like Fullstory's: shown only through text.ts and logger.ts, and the bodies posted
// are redacted like every other channel (an issue is masked by nobody).

import type { RequestOptions } from 'node:http';
import { getOctokit } from '@actions/github';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import type { RequestHandler } from '@actions/http-client/lib/interfaces';
import type { Clock } from './clock.js';
import { Deadline, TimeUp } from './deadline.js';
import type { Environment } from './inputs.js';
import type { Logger } from './logger.js';
import { secrets } from './redact.js';
import { asText, code, message, q, type Message } from './text.js';
import type { Result } from './verdict.js';

export const ALERT_LABEL = 'fullstory-key-check';
/** The title earlier versions gave the one alert issue of a repository: such an issue is taken over. */
export const LEGACY_TITLE = 'Fullstory API key check is failing';
/** Pages of 100 open alert issues read at most. */
const MAX_PAGES = 20;
/** At most this many connection attempts to GitHub's API that fail in one run, spaced by a backoff. */
export const MAX_CONNECTIONS = 10;
/** At most this many requests in one run: pages of issues, duplicates to close, the report. */
const MAX_REQUESTS = 60;

/** GitHub's answers to these calls are a few kilobytes a page: anything near this is not one of them. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

class UnexpectedAnswer extends Error {}
class TooManyConnections extends Error {}

/** Which check this is, and how its issue is found and titled. */
export interface CheckIdentity {
  /** Workflow file, job and check-name: what the marker holds. */
  id: string;
  marker: string;
  title: string;
}

export function checkIdentity(env: Environment, name: string): CheckIdentity {
  // GITHUB_WORKFLOW_REF is owner/repo/.github/workflows/file.yml@ref: the file, not its display name,
  // which a person may change; not the ref, which a manual run on a branch changes.
  // The ref follows the last `@`: a file may have one in its name (keys@prod.yml).
  const ref = env.GITHUB_WORKFLOW_REF ?? '';
  const file = ref.slice(0, ref.includes('@') ? ref.lastIndexOf('@') : undefined).replace(/^[^/]+\/[^/]+\//, '');
  const workflow = file || env.GITHUB_WORKFLOW || 'workflow';
  const job = env.GITHUB_JOB || 'job';
  // Each part percent-encoded, so that no part can pass for two, nor end the HTML comment.
  const id = [workflow, job, name]
    .filter((part) => part !== '')
    .map(encodeURIComponent)
    .join(' ');
  const marker = `<!-- fullstory-key-check: ${id} -->`;
  const shown = [env.GITHUB_WORKFLOW || workflow, job, name].filter((part) => part !== '').join(' / ');
  return { id, marker, title: `${LEGACY_TITLE}: ${shown}` };
}

/**
 * Octokit's fetch, reading each answer at once and at most MAX_ANSWER_BYTES of it (decompressed,
 * where a fetch decompresses): parsing a huge answer would hold the event loop past any deadline,
 * and a gzip bomb would exhaust memory. A connection that fails is tried again after a backoff, and
 * no run makes more than MAX_CONNECTIONS such attempts: a proxy that drops every CONNECT is not
 * hammered.
 */
function cappedFetch(fetch: typeof globalThis.fetch, deadline: Deadline): typeof globalThis.fetch {
  let failures = 0;
  let requests = 0;
  const connect: typeof globalThis.fetch = async (input, init) => {
    for (;;) {
      if (failures >= MAX_CONNECTIONS || requests >= MAX_REQUESTS) throw new TooManyConnections();
      requests += 1;
      try {
        return await fetch(input, init);
      } catch (error) {
        failures += 1;
        // A certificate that does not verify will not by asking again; nor will anything but a
        // connection that failed.
        if (deadline.passed || !transient(error)) throw error;
        if (failures >= MAX_CONNECTIONS) throw new TooManyConnections();
        await deadline.sleep(Math.min(800, 50 * 2 ** (failures - 1)));
      }
    }
  };
  return async (input, init) => {
    const response = await connect(input, init);
    if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES || response.body === null) {
      await response.body?.cancel();
      if (response.body !== null) throw new UnexpectedAnswer();
      return response;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await response.body.cancel().catch(() => undefined);
        throw new UnexpectedAnswer();
      }
      chunks.push(chunk);
    }
    const { status, statusText, headers } = response;
    const empty = [101, 204, 205, 304].includes(status);
    return new Response(empty ? null : Buffer.concat(chunks), { status, statusText, headers });
  };
}

/** Ties a request to a signal, so that the socket is destroyed when the alert's deadline passes. */
class Signalled implements RequestHandler {
  constructor(private readonly signal: AbortSignal | null | undefined) {}
  prepareRequest(options: RequestOptions): void {
    if (this.signal) options.signal = this.signal;
  }
  canHandleAuthentication(): boolean {
    return false;
  }
  handleAuthentication(): Promise<HttpClientResponse> {
    throw new Error('not used');
  }
}

/**
 * Octokit's fetch, on @actions/http-client rather than undici: one connection for each attempt
 * (through the proxy variables' CONNECT tunnel where they apply), where undici's ProxyAgent
 * reconnects to a proxy that drops its CONNECT without end (86,553 times in 30 s, measured).
 */
export const httpClientFetch: typeof globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const client = new HttpClient('fullstory-key-check', [new Signalled(init?.signal)], {
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false
  });
  try {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = typeof init?.body === 'string' ? init.body : null;
    const response = await client.request(init?.method ?? 'GET', url, body, headers);
    const message = response.message;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of message as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        message.destroy();
        throw new UnexpectedAnswer();
      }
      chunks.push(chunk);
    }
    const answer = new Headers();
    for (const [name, value] of Object.entries(message.headers)) {
      for (const one of Array.isArray(value) ? value : [value ?? '']) answer.append(name, one);
    }
    const status = message.statusCode ?? 0;
    const empty = [101, 204, 205, 304].includes(status);
    return new Response(empty ? null : Buffer.concat(chunks), {
      status,
      statusText: message.statusMessage,
      headers: answer
    });
  } finally {
    client.dispose();
  }
};

/** A connection that failed in a way another attempt may not: refused, reset, timed out, hung up. */
function transient(error: unknown): boolean {
  const { code, message: said } = error as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/.test(code)) ||
    (typeof said === 'string' && /socket hang up|fetch failed/.test(said))
  );
}

/** An issue number from GitHub's answer, or an error: it goes into a URL and a log line. */
function issueNumber(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new UnexpectedAnswer();
}

interface Found {
  number: number;
  title: string;
  body: string;
  locked: boolean;
}

export interface AlertRequest {
  logger: Logger;
  token: string;
  result: Result;
  /** Must already be safe Markdown: it is posted as it is. */
  table: string;
  env: Environment;
  clock: Clock;
  /** For every call to GitHub's API together. */
  timeoutMs: number;
  /** The check-name input: tells apart checks that share a workflow job. */
  checkName: string;
  /** GitHub's API is called with this; by default httpClientFetch. */
  fetch?: typeof globalThis.fetch;
}

/**
 * What became of the alert issue, for the job summary: `url` where the run's own variables name
 * the issue's page. `joined`: another run of the check opened one meanwhile, which stays.
 */
export type AlertOutcome =
  | { kind: 'opened' | 'commented' | 'closed' | 'joined'; number: number; url?: string }
  | { kind: 'none' }
  | { kind: 'failed'; reason: Message };

/** An issue's page, from the run's variables, when they are what the runner sets. */
function issueUrl(env: Environment, owner: string, repo: string, number: number): string | undefined {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const name = /^[\w.-]+$/;
  if (!/^https?:\/\/[\w.-]+(:\d+)?$/.test(server) || !name.test(owner) || !name.test(repo)) return undefined;
  return `${server}/${owner}/${repo}/issues/${number}`;
}

/** The verdict is never changed here; what became of the issue is returned, and warned of when it failed. */
export async function updateAlertIssue({
  logger,
  token,
  result,
  table,
  env,
  clock,
  timeoutMs,
  checkName,
  fetch: given
}: AlertRequest): Promise<AlertOutcome> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) {
    const reason = message`alert-issue is on, but GITHUB_REPOSITORY is not set, so there is no repository to open an issue in.`;
    logger.warning(asText(reason));
    return { kind: 'failed', reason };
  }
  const done = (kind: 'opened' | 'commented' | 'closed' | 'joined', number: number): AlertOutcome => {
    const url = issueUrl(env, owner, repo, number);
    return url === undefined ? { kind, number } : { kind, number, url };
  };
  const check = checkIdentity(env, checkName);
  const run = `[run ${env.GITHUB_RUN_ID ?? ''}](${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''})`;
  // Octokit's own notices (a deprecation, say) quote GitHub's headers: they go to the debug log,
  // redacted, never to stderr. @octokit/request takes its logger from each request's options.
  const log = { debug: logger.debug, info: logger.debug, warn: logger.debug, error: logger.debug };
  const octokit = getOctokit(token, { log, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  const deadline = new Deadline(timeoutMs, clock);
  // Every call carries the signal (so its socket is destroyed) and is raced (so nothing outlasts it),
  // counted and capped.
  const fetch = cappedFetch(given ?? httpClientFetch, deadline);
  const request = { signal: deadline.signal, log, fetch };
  const post = (body: string) => secrets.redact(body);
  const comment = (number: number, body: string) =>
    deadline.race(octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: post(body), request }));
  const close = (number: number, reason: 'completed' | 'not_planned') =>
    deadline.race(
      octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: reason, request })
    );

  /** This check's open issues, oldest first, and those earlier versions opened (no marker at all). */
  const find = async (): Promise<{ mine: Found[]; legacy: Found[] }> => {
    const all: Found[] = [];
    // Page by page, each request with the signal and the capped fetch (paginate's iterator drops
    // both); up to MAX_PAGES pages of 100: a repository with more open alert issues is not this.
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const { data, headers } = await deadline.race(
        octokit.rest.issues.listForRepo({
          owner,
          repo,
          state: 'open',
          labels: ALERT_LABEL,
          per_page: 100,
          page,
          request
        })
      );
      if (!Array.isArray(data)) throw new UnexpectedAnswer();
      for (const issue of data as unknown[]) {
        const { number, title, body, locked, pull_request } = issue as Record<string, unknown>;
        if (pull_request !== undefined) continue;
        all.push({
          number: issueNumber(number),
          title: typeof title === 'string' ? title : '',
          body: typeof body === 'string' ? body : '',
          locked: locked === true
        });
      }
      if (!/\brel="next"/.test(headers.link ?? '')) break;
    }
    all.sort((a, b) => a.number - b.number);
    // A marker counts only on a line of its own: text from a server, shown in a table cell or a
    // list item, never starts a line, so it cannot pass for another check's marker.
    const lines = (issue: Found) => issue.body.split(/\r?\n/).map((line) => line.trim());
    return {
      mine: all.filter((issue) => lines(issue).includes(check.marker)),
      legacy: all.filter(
        (issue) =>
          issue.title === LEGACY_TITLE && !lines(issue).some((line) => line.startsWith('<!-- fullstory-key-check:'))
      )
    };
  };

  try {
    const { mine, legacy } = await find();
    const locked = mine.filter((issue) => issue.locked);
    // An issue of an earlier version (one per repository, found by label and title) becomes this
    // check's: the first check to run after the upgrade takes it over, rather than open another.
    let open = mine.filter((issue) => !issue.locked);
    const takeOver = open.length === 0 ? legacy.find((issue) => !issue.locked) : undefined;
    if (takeOver !== undefined) {
      await deadline.race(
        octokit.rest.issues.update({
          owner,
          repo,
          issue_number: takeOver.number,
          // Retitled too: with its marker removed later, it is no earlier version's issue again.
          title: check.title,
          body: post(`${takeOver.body}\n\n${check.marker}`),
          request
        })
      );
      open = [takeOver];
    }
    // Runs of one check at once may each have opened one: the oldest stays.
    const [oldest, ...duplicates] = open;
    for (const duplicate of duplicates) {
      await comment(duplicate.number, `Duplicate of #${oldest!.number}: one alert issue per check.\n\n${check.marker}`);
      await close(duplicate.number, 'not_planned');
      logger.info(`Closed alert issue #${duplicate.number} as a duplicate of #${oldest!.number}.`);
    }
    if (result !== 'match') {
      const report = `The Fullstory API key check failed (${result}) in ${run}.\n\n${table}`;
      if (oldest !== undefined) {
        try {
          await comment(oldest.number, report);
          logger.info(`Commented on alert issue #${oldest.number}.`);
          return done('commented', oldest.number);
        } catch (error) {
          // Locked since it was listed: a new issue carries on, below.
          if (!isLocked(error)) throw error;
          locked.push(oldest);
        }
      }
      const previous = locked.at(-1);
      const carriesOn =
        previous === undefined ? '' : `Alert issue #${previous.number} is locked, so this one carries on from it.\n\n`;
      const body = post(
        `${carriesOn}${report}\n\nEach failing run of this check comments here; its first healthy run closes this issue.\n\n${check.marker}`
      );
      const created = await deadline.race(
        octokit.rest.issues.create({ owner, repo, title: check.title, body, labels: [ALERT_LABEL], request })
      );
      const number = issueNumber(created.data.number);
      logger.info(`Opened alert issue #${number}.`);
      // Another run of this check may have opened one meanwhile: the older stays.
      const again = (await find()).mine.filter((issue) => !issue.locked);
      const first = again[0];
      if (first !== undefined && first.number < number) {
        await comment(number, `Duplicate of #${first.number}: one alert issue per check.\n\n${check.marker}`);
        await close(number, 'not_planned');
        logger.info(`Closed alert issue #${number} as a duplicate of #${first.number}.`);
        return done('joined', first.number);
      }
      return done('opened', number);
    } else if (oldest !== undefined) {
      await comment(oldest.number, `The Fullstory API keys of this check are healthy again in ${run}.\n\n${table}`);
      await close(oldest.number, 'completed');
      logger.info(`Closed alert issue #${oldest.number}: the keys are healthy again.`);
      return done('closed', oldest.number);
    }
    return { kind: 'none' };
  } catch (error) {
    const reason = advice(error, deadline, timeoutMs);
    logger.warning(`alert-issue: ${asText(reason)} The check itself is unaffected.`);
    return { kind: 'failed', reason };
  } finally {
    deadline.dispose();
  }
}

function isLocked(error: unknown): boolean {
  const { status, message: said } = error as { status?: unknown; message?: unknown };
  return status === 403 && typeof said === 'string' && /\blocked\b/i.test(said);
}

/** What went wrong with GitHub's API, and what to do about it. */
function advice(error: unknown, deadline: Deadline, timeoutMs: number): Message {
  const { status, message: said } = error as { status?: unknown; message?: unknown };
  if (error instanceof TimeUp || deadline.passed) {
    return message`GitHub's API did not answer within ${timeoutMs / 1000} s, so the alert issue was not updated.`;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof TooManyConnections || cause instanceof TooManyConnections) {
    return message`could not connect to GitHub's API in ${MAX_CONNECTIONS} attempts, so the alert issue was not updated. Check the runner's proxy settings (https_proxy, no_proxy).`;
  }
  if (error instanceof UnexpectedAnswer || cause instanceof UnexpectedAnswer) {
    return message`GitHub's API answered with something other than issues, so the alert issue was not updated.`;
  }
  switch (status) {
    case 401:
      return message`github-token was refused (HTTP 401): it is not a valid token. Leave github-token at its default, ${code('${{ github.token }}')}.`;
    case 403:
      if (typeof said === 'string' && /\blocked\b/i.test(said)) {
        return message`the alert issue was locked while this run updated it (HTTP 403); the next failing run opens a new one.`;
      }
      if (typeof said === 'string' && /rate limit/i.test(said)) {
        return message`GitHub's API rate limit for github-token was exceeded (HTTP 403); the next run tries again.`;
      }
      return message`github-token may not write issues (HTTP 403). Give the job ${code('permissions: issues: write')}.`;
    case 404:
      return message`GitHub answered 404 for this repository's issues: the token cannot see the repository (a token of another repository or app?).`;
    case 410:
      if (typeof said === 'string' && /deleted/i.test(said)) {
        return message`the alert issue was deleted while this run updated it (HTTP 410); the next failing run opens a new one.`;
      }
      return message`issues are turned off in this repository (HTTP 410), so there is nowhere to alert. Turn them on under Settings > General > Features, or set ${code('alert-issue: false')}.`;
    default:
      return message`could not update the alert issue (${q(String(said ?? error))}).`;
  }
}
