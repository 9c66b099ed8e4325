// Raw action inputs become one typed, validated Settings object, once; nothing downstream reads inputs.

import * as core from '@actions/core';
import { LEVELS, MATCH_MODES, parseLevel, type Policy } from './verdict.js';
import { quote } from './text.js';

export interface Settings extends Policy {
  apiKey: string;
  /** The /me endpoint under `api-url`. */
  meUrl: URL;
  timeoutMs: number;
  maxAttempts: number;
}

export const INPUT_NAMES = [
  'api-key',
  'expected-level',
  'match',
  'expected-org-id',
  'fail-on-mismatch',
  'api-url',
  'timeout-seconds',
  'max-attempts'
] as const;
export type InputName = (typeof INPUT_NAMES)[number];
export type RawInputs = Record<InputName, string>;

export const MAX_TIMEOUT_SECONDS = 3600;
export const MAX_ATTEMPTS = 10;

/** Every problem with the inputs, one line each, so a user fixes them all in one go. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'InputError';
  }
}

/**
 * Reads the inputs from the runner. The key is masked before anything else can be printed: the
 * runner masks secrets it passes in, but not a key that reached the input by other means.
 */
export function readSettings(): Settings {
  const apiKey = core.getInput('api-key');
  if (apiKey !== '') core.setSecret(apiKey);
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)]));
  return parseSettings(raw as RawInputs);
}

export function parseSettings(raw: RawInputs): Settings {
  const problems: string[] = [];
  const fail = (problem: string): undefined => {
    problems.push(problem);
    return undefined;
  };

  const apiKey = raw['api-key'].trim();
  if (apiKey === '') {
    fail(
      'api-key is empty. Pass the key from a secret, e.g. `api-key: ${{ secrets.FULLSTORY_API_KEY }}`. ' +
        'If the secret is set, the usual cause is the trigger: workflows run for pull requests from forks get no secrets, ' +
        'and Dependabot runs see only Dependabot secrets.'
    );
  } else if (/[^\x21-\x7e]/.test(apiKey)) {
    // Never echo the key: say what is wrong with it, not what it is.
    fail(
      'api-key contains spaces, line breaks or non-ASCII characters inside it. Paste the key exactly as Fullstory showed it.'
    );
  }

  const expectedLevel =
    parseLevel(raw['expected-level']) ??
    fail(
      `expected-level ${quote(raw['expected-level'])} is not valid. Use one of ${LEVELS.join(', ')} ` +
        '(case-insensitive; the API role names USER, ARCHITECT and ADMIN are accepted too).'
    );

  const matchText = (raw.match.trim() || 'exact').toLowerCase();
  const match =
    MATCH_MODES.find((mode) => mode === matchText) ??
    fail(`match ${quote(raw.match)} is not valid. Use exact or at-least.`);

  const failOnMismatch = parseBoolean(raw['fail-on-mismatch'], true) ?? fail(
    `fail-on-mismatch ${quote(raw['fail-on-mismatch'])} is not valid. Use true or false.`
  );

  const meUrl = parseApiUrl(raw['api-url'], fail);

  const timeoutSeconds = parseNumber(raw['timeout-seconds'], 30);
  const timeoutMs =
    timeoutSeconds !== undefined && timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS
      ? Math.round(timeoutSeconds * 1000)
      : fail(
          `timeout-seconds ${quote(raw['timeout-seconds'])} is not valid. Use a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}.`
        );

  const attempts = parseNumber(raw['max-attempts'], 3);
  const maxAttempts =
    attempts !== undefined && Number.isInteger(attempts) && attempts >= 1 && attempts <= MAX_ATTEMPTS
      ? attempts
      : fail(`max-attempts ${quote(raw['max-attempts'])} is not valid. Use a whole number from 1 to ${MAX_ATTEMPTS}.`);

  if (
    problems.length > 0 ||
    expectedLevel === undefined ||
    match === undefined ||
    failOnMismatch === undefined ||
    meUrl === undefined ||
    timeoutMs === undefined ||
    maxAttempts === undefined
  ) {
    throw new InputError(problems);
  }
  return {
    apiKey,
    expectedLevel,
    match,
    expectedOrgId: raw['expected-org-id'].trim(),
    failOnMismatch,
    meUrl,
    timeoutMs,
    maxAttempts
  };
}

/** The YAML 1.2 core-schema booleans that core.getBooleanInput accepts; empty takes the default. */
function parseBoolean(text: string, fallback: boolean): boolean | undefined {
  const value = text.trim();
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  return undefined;
}

/** A plain decimal number; empty takes the default. Number('') and Number('0x10') are too lenient. */
function parseNumber(text: string, fallback: number): number | undefined {
  const value = text.trim();
  if (value === '') return fallback;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}

function isLoopback(hostname: string): boolean {
  // URL has already normalised IPv4 forms such as 2130706433 or 127.1 to dotted quads.
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function parseApiUrl(text: string, fail: (problem: string) => undefined): URL | undefined {
  const value = text.trim() || 'https://api.fullstory.com';
  let base: URL;
  try {
    base = new URL(value);
  } catch {
    return fail(`api-url ${quote(text)} is not a URL. Use https://api.fullstory.com or your proxy's https:// URL.`);
  }
  if (base.username !== '' || base.password !== '') {
    return fail('api-url must not contain a user name or password: the key is the only credential sent.');
  }
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
    return fail(
      `api-url ${quote(value)} is not allowed: the key may only be sent over https:// (plain http:// only to a loopback host such as 127.0.0.1).`
    );
  }
  if (base.search !== '' || base.hash !== '') {
    return fail(`api-url ${quote(value)} must not have a query string or fragment; a path prefix is fine.`);
  }
  // A path prefix (a proxy) is kept: /me is resolved under it, with or without a trailing slash.
  base.pathname = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL('me', base);
}
