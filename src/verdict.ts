// The decision, as plain functions of data: no I/O here, so every rule is testable without a network.

import { message, q, type Message } from './text.js';

/** Where a Fullstory admin creates keys (and sees them, by name and suffix). */
export const KEYS_PAGE = 'Settings > Integrations > API Keys';

/** Fullstory's key permission levels, lowest first: a higher level can do all a lower one can. */
export const LEVELS = ['standard', 'architect', 'admin'] as const;
export type Level = (typeof LEVELS)[number];

/** The `role` that GET /me reports for a key of each level. */
export const ROLE_OF_LEVEL: Readonly<Record<Level, string>> = {
  standard: 'USER',
  architect: 'ARCHITECT',
  admin: 'ADMIN'
};

const LEVEL_NAME: Readonly<Record<Level, string>> = {
  standard: 'Standard',
  architect: 'Architect',
  admin: 'Admin'
};

export type MatchMode = 'exact' | 'at-least';
export const MATCH_MODES: readonly MatchMode[] = ['exact', 'at-least'];

/** What GET /me said of a key; values are redacted and cut where they enter (fullstory.ts). */
export interface Me {
  role: string;
  orgId: string;
  /** The key creator's email: personal data, for the `email` output only. */
  email: string;
}

/**
 * Why a key could not be verified, as facts (fullstory.ts finds them): what to do about each is
 * decided here (failureAdvice), so that a cause that only a change of configuration can remove is
 * never answered with "re-run".
 */
export type Cause =
  /** An answer other than 200, 401, 403, 429 or 5xx: api-url is not Fullstory's API. */
  | { kind: 'status'; status: number }
  | { kind: 'redirect' }
  /** A 200 that is no answer of /me (not JSON, no role), or an answer larger than any /me. */
  | { kind: 'not-me' }
  /** A host name (api-url's, or the proxy's) that does not resolve. */
  | { kind: 'dns'; proxy?: string }
  /** Nothing accepts connections at api-url's host and port (or at the proxy's). */
  | { kind: 'refused'; proxy?: string }
  /** TLS could not start: plain HTTP answering an https:// URL, or a handshake that failed. */
  | { kind: 'protocol'; plainHttp: boolean; proxy?: string }
  | { kind: 'certificate' }
  /** A proxy variable that cannot be read: an unencoded / ? # in its password, or no http(s) URL. */
  | { kind: 'proxy-variable'; name: string; unencoded: boolean }
  /** Fullstory answered 5xx. */
  | { kind: 'server' }
  /** A connection that broke: reset, hung up, unreachable for now. */
  | { kind: 'network'; proxy?: string }
  /** Fullstory answered 429. */
  | { kind: 'rate-limit' }
  /** Every attempt that max-attempts allows failed, the last for `last`. */
  | { kind: 'attempts'; maxAttempts: number; last: Cause }
  /** No answer within timeout-seconds; `attempts` 0 when this key's turn never came. */
  | { kind: 'timeout'; budgetMs: number; attempts: number; last?: Cause }
  /** A 429 whose Retry-After is longer than what was left of timeout-seconds. */
  | { kind: 'retry-after'; waitMs: number; elapsedMs: number; budgetMs: number };

/** How asking GET /me about a key ended. */
export type MeOutcome =
  | { kind: 'answered'; me: Me; attempts: number }
  | { kind: 'rejected'; reason: Message; attempts: number }
  | { kind: 'failed'; reason: Message; cause: Cause; attempts: number };

/** Every verdict, from best to worst. */
export const RESULTS = ['match', 'mismatch', 'invalid-key', 'error'] as const;
export type Result = (typeof RESULTS)[number];

/** What one key must be. */
export interface Policy {
  expectedLevel: Level;
  match: MatchMode;
  /** Empty when any org will do. */
  expectedOrgId: string;
}

export interface Verdict {
  result: Result;
  /** What /me said, when it answered 200 with a role. */
  me?: Me;
  /** The key's level, or `unknown` for a role outside the three levels; set with `me`. */
  level?: Level | 'unknown';
  /** Why the key does not match, or why it could not be verified; empty for a match. */
  problems: Message[];
  /** A match that holds only because `at-least` allows a higher level than expected. */
  overPrivileged: boolean;
  /** An `error` because the key was never sent: its input is missing or malformed (see KeySpec.problem). */
  inputProblem?: true;
  /** For a mismatch, which of the two was wrong: the level (or a role that is none), the org. */
  wrong?: { level: boolean; org: boolean };
  /** For an `error` of the network or the answer: why, for failureAdvice. */
  cause?: Cause;
}

/** A level from a level name or a role name, case-insensitively; undefined for anything else. */
export function parseLevel(text: string): Level | undefined {
  const wanted = text.trim().toUpperCase();
  return LEVELS.find((level) => level.toUpperCase() === wanted || ROLE_OF_LEVEL[level] === wanted);
}

/** The level of a role from /me. Only the exact role names count: fail closed on anything else. */
export function levelOfRole(role: string): Level | undefined {
  return LEVELS.find((level) => ROLE_OF_LEVEL[level] === role);
}

export function describeLevel(level: Level): string {
  return `${LEVEL_NAME[level]} (role ${ROLE_OF_LEVEL[level]})`;
}

export function describeExpectation(policy: Pick<Policy, 'expectedLevel' | 'match'>): string {
  const level = describeLevel(policy.expectedLevel);
  return policy.match === 'exact' ? `exactly ${level}` : `at least ${level}`;
}

function rank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function judge(policy: Policy, outcome: MeOutcome): Verdict {
  if (outcome.kind === 'rejected') {
    return { result: 'invalid-key', problems: [outcome.reason], overPrivileged: false };
  }
  if (outcome.kind === 'failed') {
    return { result: 'error', problems: [outcome.reason], overPrivileged: false, cause: outcome.cause };
  }

  const { me } = outcome;
  const level = levelOfRole(me.role);
  const problems: Message[] = [];
  let overPrivileged = false;
  let wrongLevel = level === undefined;

  if (level === undefined) {
    problems.push(
      message`the key's role is ${q(me.role)}, which is not a key permission level (USER, ARCHITECT or ADMIN), so it satisfies no expectation`
    );
  } else {
    const difference = rank(level) - rank(policy.expectedLevel);
    const allowed = policy.match === 'exact' ? difference === 0 : difference >= 0;
    wrongLevel = !allowed;
    if (!allowed) {
      problems.push(message`expected ${describeExpectation(policy)}, but the key is ${describeLevel(level)}`);
    }
    overPrivileged = allowed && difference > 0;
  }

  const wrongOrg = policy.expectedOrgId !== '' && me.orgId !== policy.expectedOrgId;
  if (wrongOrg) {
    problems.push(message`expected org ${q(policy.expectedOrgId)}, but the key belongs to org ${q(me.orgId)}`);
  }

  const verdict: Verdict = {
    result: problems.length === 0 ? 'match' : 'mismatch',
    me,
    level: level ?? 'unknown',
    problems,
    overPrivileged: problems.length === 0 && overPrivileged
  };
  if (verdict.result === 'mismatch') verdict.wrong = { level: wrongLevel, org: wrongOrg };
  return verdict;
}

/**
 * The words advice uses for what the reader controls: the action's secret and job, or the CLI's
 * key and command. Settings are named as the action's inputs (api-url); the CLI shows them as its
 * options (--api-url).
 */
export interface Terms {
  /** What to check when Fullstory rejects the key: "the secret's value". */
  keyValue: string;
  /** What to do with a new key: "update the secret". */
  update: string;
  /** Running the check again: "re-run the job". */
  again: string;
  /** Where the check runs: "the runner". */
  machine: string;
}

export const ACTION_TERMS: Terms = {
  keyValue: "the secret's value",
  update: 'update the secret',
  again: 're-run the job',
  machine: 'the runner'
};

/** The CLI's words, with where its key came from (FULLSTORY_API_KEY, or standard input). */
export function cliTerms(keySource: string): Terms {
  return {
    keyValue: keySource === 'FULLSTORY_API_KEY' ? 'the value of FULLSTORY_API_KEY' : keySource,
    update: 'use the new key',
    again: 'run the check again',
    machine: 'this machine'
  };
}

/**
 * What to do about a key that is not what the policy asks for, or that could not be verified: a
 * key of the wanted level, in the wanted org, for whichever of the two was wrong; a new key for one
 * Fullstory rejected; for an error, what removes its cause (failureAdvice). Undefined when there is
 * nothing to do, and for a key never sent, whose problem says what to fix already.
 */
export function advice(policy: Policy, verdict: Verdict, terms: Terms = ACTION_TERMS): Message | undefined {
  const wanted = `${policy.match === 'exact' ? '' : 'at least '}${LEVEL_NAME[policy.expectedLevel]}`;
  if (verdict.result === 'match' && verdict.overPrivileged) {
    return message`The key has more privilege than this check asks for (${describeExpectation(policy)}). If nothing needs it, create a key of level ${LEVEL_NAME[policy.expectedLevel]} under ${KEYS_PAGE} and ${terms.update} (least privilege).`;
  }
  if (verdict.result === 'invalid-key') {
    return message`Check ${terms.keyValue}, or create a new key under ${KEYS_PAGE}.`;
  }
  if (verdict.result === 'error') {
    return verdict.cause === undefined ? undefined : failureAdvice(verdict.cause, terms);
  }
  if (verdict.result !== 'mismatch') return undefined;
  const wrong = verdict.wrong ?? { level: true, org: false };
  const org = q(policy.expectedOrgId);
  if (wrong.level && wrong.org) {
    return message`Create a key of level ${wanted} in org ${org} (signed in to that org, under ${KEYS_PAGE}) and ${terms.update}.`;
  }
  if (wrong.org) {
    return message`The key's level is right but it is from another org: create one in org ${org} (signed in to that org, under ${KEYS_PAGE}) and ${terms.update}, or, if org ${q(verdict.me?.orgId ?? '')} is the one this check should expect, change the expected org id.`;
  }
  return message`Create a key of level ${wanted} under ${KEYS_PAGE} and ${terms.update}.`;
}

/** The API's base URL, which serves keys of every realm. */
const API_URL = 'https://api.fullstory.com';

/** Whole seconds, rounded up, for prose. */
const secondsOf = (ms: number) => Math.ceil(ms / 1000);

/**
 * What removes the cause of an `error`: the setting to change, with its figures, where the cause is
 * the configuration (api-url, the proxy, timeout-seconds), which no re-run changes; a re-run only
 * where one can help (a server error, a dropped connection, a rate limit that ends).
 */
export function failureAdvice(cause: Cause, terms: Terms = ACTION_TERMS): Message {
  const proxied = (proxy: string | undefined, direct: Message): Message =>
    proxy === undefined ? direct : message`Check the proxy in ${proxy}, which this request went through.`;
  switch (cause.kind) {
    case 'status':
      return message`api-url is not Fullstory's API: set it to the API's base URL, ${API_URL} (or your proxy's URL for it), without /me or a version path. A re-run will not help.`;
    case 'redirect':
      return message`/me never redirects: set api-url to the API's base URL, ${API_URL}, as the redirect may point elsewhere (a wrong path, http:// for https://, a sign-in page in between). A re-run will not help.`;
    case 'not-me':
      return message`Check that api-url is the API's base URL, ${API_URL}, and that no proxy or sign-in page answers in its place.`;
    case 'dns':
      return proxied(
        cause.proxy,
        message`Check the host name in api-url (${API_URL} serves keys of every realm, na1 and eu1 alike), and that ${terms.machine} can resolve names.`
      );
    case 'refused':
      return proxied(
        cause.proxy,
        message`Nothing accepts connections there: check the host and port in api-url (${API_URL} for Fullstory itself).`
      );
    case 'protocol':
      return proxied(
        cause.proxy,
        cause.plainHttp
          ? message`The server at api-url answers plain HTTP, not TLS: check its scheme and port (https:// on the port that serves TLS; plain http:// is allowed only to a loopback host).`
          : message`Check that api-url is the API's https:// URL, ${API_URL}: the server there offers no TLS this check accepts.`
      );
    case 'certificate':
      return message`If a proxy or a private CA signs it, give ${terms.machine} that CA with NODE_EXTRA_CA_CERTS.`;
    case 'proxy-variable':
      return cause.unencoded
        ? message`Percent-encode them in ${cause.name} (/ as %2F, ? as %3F, # as %23, \\ as %5C).`
        : message`Fix ${cause.name} (e.g. http://proxy.example:3128) or unset it.`;
    case 'server':
      return message`Fullstory's server errors usually pass: ${terms.again} later.`;
    case 'network':
      return proxied(
        cause.proxy,
        message`A dropped connection usually passes: ${terms.again}; if it keeps happening, check the network between ${terms.machine} and api-url.`
      );
    case 'rate-limit':
      return message`Raise timeout-seconds so that the rate limit can be waited out, or check fewer keys at once.`;
    case 'attempts': {
      const last = failureAdvice(cause.last, terms);
      const transient = cause.last.kind === 'server' || cause.last.kind === 'network';
      // max-attempts is at most 10 (inputs.ts).
      return transient && cause.maxAttempts < 10
        ? message`${last} For a scheduled check, raise max-attempts (now ${cause.maxAttempts}) to ride such failures out.`
        : last;
    }
    case 'timeout': {
      const budget = `${cause.budgetMs / 1000} s`;
      if (cause.attempts === 0) {
        return message`Raise timeout-seconds (now ${budget}), or check fewer keys in one step.`;
      }
      const last = cause.last;
      if (last !== undefined && !['server', 'network', 'rate-limit'].includes(last.kind)) {
        return failureAdvice(last, terms);
      }
      if (last?.kind === 'rate-limit') {
        return message`Fullstory's rate limit outlasted the time: raise timeout-seconds (now ${budget}) so that it can be waited out, or check fewer keys at once.`;
      }
      return last === undefined
        ? message`Raise timeout-seconds (now ${budget}) if answers are slow to come (through a proxy, say), or check the network between ${terms.machine} and api-url.`
        : message`Raise timeout-seconds (now ${budget}) to leave time for retries, or ${terms.again} later: ${last.kind === 'server' ? 'server errors' : 'dropped connections'} usually pass.`;
    }
    case 'retry-after': {
      // The budget that would have held the wait, rounded up to the next 10 s.
      const needed = Math.ceil((cause.elapsedMs + cause.waitMs) / 10_000) * 10;
      const wait = cause.waitMs > 3600_000 ? 'more than an hour' : `${secondsOf(cause.waitMs)} s`;
      return needed > 3600
        ? message`No timeout-seconds holds that wait (it is at most 3600): ${terms.again} after ${wait}, once the limit has passed.`
        : message`Raise timeout-seconds from ${cause.budgetMs / 1000} to at least ${needed} so that the wait fits, or ${terms.again} after ${wait}, once the limit has passed.`;
    }
  }
}

/**
 * Whether a key passes: only a verified match, or, when the workflow allows mismatches, a key whose
 * level was verified to be another of the three. A role outside the three levels is no verified
 * level at all, so it never passes, whatever fail-on-mismatch says.
 */
export function passes(failOnMismatch: boolean, verdict: Pick<Verdict, 'result' | 'level'>): boolean {
  if (verdict.result === 'match') return true;
  return verdict.result === 'mismatch' && !failOnMismatch && verdict.level !== undefined && verdict.level !== 'unknown';
}

/** The worst of several verdicts: error > invalid-key > mismatch > match; no verdict at all is an error. */
export function worst(results: readonly Result[]): Result {
  if (results.length === 0) return 'error';
  return results.reduce((a, b) => (RESULTS.indexOf(b) > RESULTS.indexOf(a) ? b : a));
}
