// Raw inputs become one typed, validated Settings object, once; nothing downstream reads inputs.
// The action (main.ts reads the runner's inputs) and the CLI (its options) both go through
// parseSettings. No I/O here: what masks and registers the keys is the caller's.

import { closestMatch } from 'leven';
import type { KeySpec } from './keys.js';
import { LEVELS, MATCH_MODES, ROLE_OF_LEVEL, parseLevel, type MatchMode } from './verdict.js';
import { asText, code, message, q, type Message } from './text.js';

export interface Settings {
  keys: KeySpec[];
  /** Whether the keys came from the `keys` input, one line each. */
  batch: boolean;
  match: MatchMode;
  failOnMismatch: boolean;
  /** The /me endpoint under `api-url`. */
  meUrl: URL;
  timeoutMs: number;
  maxAttempts: number;
  alertIssue: boolean;
  /** Tells apart checks that share a workflow job, each with its own alert issue; may be empty. */
  checkName: string;
  githubToken: string;
}

export const INPUT_NAMES = [
  'api-key',
  'expected-level',
  'keys',
  'match',
  'expected-org-id',
  'fail-on-mismatch',
  'api-url',
  'timeout-seconds',
  'max-attempts',
  'alert-issue',
  'check-name',
  'github-token'
] as const;
export type InputName = (typeof INPUT_NAMES)[number];
export type RawInputs = Record<InputName, string>;
export type Environment = Readonly<Record<string, string | undefined>>;

export const MAX_TIMEOUT_SECONDS = 3600;
export const MAX_ATTEMPTS = 10;
export const MAX_KEYS = 1000;
/** Shorter than this is no API key (it would be 48 bits), and redacting it would garble every message. */
export const MIN_KEY_LENGTH = 8;

/**
 * Node's modules whose NODE_DEBUG output holds a request's headers (net prints them, the key's
 * among them, for the check and for the alert issue's token) or an answer's bytes (stream), or could.
 */
const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'undici', 'fetch', 'stream'];

/**
 * Whether NODE_DEBUG makes Node print a request, read as Node reads it (debuglog.js): names apart by
 * `,`, each with `*` for any run of characters, in any letter case. Spaces part them too, to be safe.
 */
export function debugsNetwork(env: Environment): boolean {
  const names = (env.NODE_DEBUG ?? '').toLowerCase().split(/[\s,]+/);
  return names.some((name) => name !== '' && NETWORK_MODULES.some((module) => globMatches(name, module)));
}

/** `*` for any run of characters, all else as itself; linear, where a regex of many `*` backtracks. */
function globMatches(pattern: string, text: string): boolean {
  let [p, t, star, resume] = [0, 0, -1, 0];
  while (t < text.length) {
    if (pattern[p] === '*') [star, resume] = [p++, t];
    else if (p < pattern.length && pattern[p] === text[t]) [p, t] = [p + 1, t + 1];
    else if (star >= 0) [p, t] = [star + 1, ++resume];
    else return false;
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The runner's own variables: never a Fullstory key, and never to be sent to Fullstory. */
const RUNNER_VARIABLE = /^(GITHUB|RUNNER|ACTIONS|INPUT)_/i;

/** Every problem with the inputs, one line each, so a user fixes them all in one go. */
export class InputError extends Error {
  constructor(readonly problems: Message[]) {
    super(problems.map(asText).join('\n'));
    this.name = 'InputError';
  }
}

/** The variable names the `keys` lines refer to, read leniently: masking must not wait for validation. */
export function keyVariables(keys: string): { name: string; line: number }[] {
  return keys.split('\n').flatMap((text, index) => {
    const name = text.split(':')[0]!.trim();
    return ENV_NAME.test(name) ? [{ name, line: index + 1 }] : [];
  });
}

/**
 * What stands in a `keys` line's name place when it is no variable's name but looks like a key (the
 * key itself, put there by `${{ secrets.NAME }}`): to be masked, like any key.
 */
export function pastedKeys(keys: string): { value: string; line: number }[] {
  return keys.split('\n').flatMap((text, index) => {
    const value = text.split(':')[0]!.trim();
    return isPastedKey(value) ? [{ value, line: index + 1 }] : [];
  });
}

/**
 * Whether what stands in a keys line's name place looks like a key rather than a name written
 * wrong: a realm (`na1.`), or the look of a secret, where it is no variable's name, no expression
 * (`secrets.NAME`) and no assignment (`NAME=level`). A dash is read as an underscore: fs-ingest-key
 * is a name.
 */
function isPastedKey(name: string): boolean {
  if (ENV_NAME.test(name) || /\s/.test(name) || name === '') return false;
  if (/^(secrets|vars|env)\.[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^[A-Za-z_][A-Za-z0-9_]*=./.test(name)) return false;
  return /^(na1|eu1)\./i.test(name) || looksLikeSecret(name.replace(/-/g, '_')) || name.length > 40;
}

/**
 * Whether a `keys` "name" looks more like a secret than like a variable's name (a key without a
 * realm can be made only of letters and digits, which is a valid variable name): mixed case with
 * digits or long, letters and digits alternating, long (or with digits) without an underscore, or
 * longer than any variable's name is.
 */
export function looksLikeSecret(name: string): boolean {
  const mixedCase = /[a-z]/.test(name) && /[A-Z]/.test(name);
  const alternations = name.match(/(?<=[A-Za-z])\d|(?<=\d)[A-Za-z]/g)?.length ?? 0;
  return (
    (mixedCase && (/\d/.test(name) || name.length >= 16)) ||
    alternations >= 4 ||
    (!name.includes('_') && (name.length >= 24 || (name.length >= 16 && /\d/.test(name)))) ||
    name.length > 40
  );
}

/**
 * An input's value as its message shows it: quoted, unless some part of it may be a key put in the
 * wrong input (only api-key and the keys variables are registered as secrets, so nothing else would
 * hide it): a URL is read part by part, so a key in its path or query is seen too.
 */
function shown(value: string): Message {
  const parts = value.trim().split(/[\s/?#&=:;@,.]+/);
  return parts.some((part) => part.length >= 12 && looksLikeSecret(part))
    ? message`(not shown: it looks like a key)`
    : message`${q(value)}`;
}

/**
 * Whether a value given as a key is worth masking. A level word or a value too short to be a key
 * is refused, and never sent or shown; masking it would garble every message that has its letters
 * (the list of valid levels, say, or every `e`).
 */
export function maskable(value: string): boolean {
  return value.length >= MIN_KEY_LENGTH && !isLevelWord(value);
}

/** How the messages name the key's source: the CLI reads it from a variable or standard input. */
export interface Sources {
  apiKey: string;
  /** What to give instead of a key that is refused: the secret (the action's), or the key (the CLI's). */
  instead?: string;
}

export function parseSettings(
  raw: RawInputs,
  env: Environment = {},
  sources: Sources = { apiKey: 'api-key' }
): Settings {
  const problems: Message[] = [];
  const fail = (problem: string | Message): undefined => {
    problems.push(typeof problem === 'string' ? [problem] : problem);
    return undefined;
  };

  // A GitHub token the run knows, wherever it is, is never a key (gh's GH_TOKEN, say, named in keys).
  const tokens = [raw['github-token'], env.GITHUB_TOKEN, env.GH_TOKEN].flatMap((token) => token?.trim() || []);
  const keys = parseKeySources(raw, env, fail, sources, tokens);

  const matchText = (raw.match.trim() || 'exact').toLowerCase();
  const match =
    MATCH_MODES.find((mode) => mode === matchText) ??
    fail(message`match ${shown(raw.match)} is not valid.${didYouMean(raw.match, MATCH_MODES)} Use exact or at-least.`);

  const failOnMismatch =
    parseBoolean(raw['fail-on-mismatch'], true) ??
    fail(
      message`fail-on-mismatch ${shown(raw['fail-on-mismatch'])} is not valid.${didYouMean(raw['fail-on-mismatch'], BOOLEANS)} Use true or false.`
    );

  const meUrl = parseApiUrl(raw['api-url'], fail);

  const timeoutSeconds = parseNumber(raw['timeout-seconds'], 30);
  const timeoutMs =
    timeoutSeconds !== undefined && timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS
      ? Math.round(timeoutSeconds * 1000)
      : fail(
          message`timeout-seconds ${shown(raw['timeout-seconds'])} is not valid. Use a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}.`
        );

  const attempts = parseNumber(raw['max-attempts'], 3);
  const maxAttempts =
    attempts !== undefined && Number.isInteger(attempts) && attempts >= 1 && attempts <= MAX_ATTEMPTS
      ? attempts
      : fail(
          message`max-attempts ${shown(raw['max-attempts'])} is not valid. Use a whole number from 1 to ${MAX_ATTEMPTS}.`
        );

  const alertIssue =
    parseBoolean(raw['alert-issue'], false) ??
    fail(
      message`alert-issue ${shown(raw['alert-issue'])} is not valid.${didYouMean(raw['alert-issue'], BOOLEANS)} Use true or false.`
    );
  // Node prints every request's headers, the key's among them, where NODE_DEBUG names a network module.
  if (debugsNetwork(env)) {
    fail(
      "NODE_DEBUG names a network module, so Node would print every request's headers, the key among them. Unset NODE_DEBUG for this step."
    );
  }
  const checkName = raw['check-name'].trim();
  if (checkName.length > 100 || /[\p{C}]/u.test(checkName)) {
    fail('check-name is not valid: write a short name on one line (at most 100 characters), such as prod or staging.');
  }
  const githubToken = raw['github-token'].trim();
  if (alertIssue && githubToken === '') {
    fail(
      'github-token is empty, and alert-issue needs a token that can write issues. Leave github-token at its default, ${{ github.token }}.'
    );
  }

  if (
    problems.length > 0 ||
    keys === undefined ||
    match === undefined ||
    failOnMismatch === undefined ||
    meUrl === undefined ||
    timeoutMs === undefined ||
    maxAttempts === undefined ||
    alertIssue === undefined
  ) {
    throw new InputError(problems);
  }
  return {
    keys: keys.specs,
    batch: keys.batch,
    match,
    failOnMismatch,
    meUrl,
    timeoutMs,
    maxAttempts,
    alertIssue,
    checkName,
    githubToken
  };
}

type Fail = (problem: string | Message) => undefined;

/** `api-key` with `expected-level`, or `keys`: exactly one of the two. */
function parseKeySources(
  raw: RawInputs,
  env: Environment,
  fail: Fail,
  sources: Sources,
  tokens: readonly string[]
): { specs: KeySpec[]; batch: boolean } | undefined {
  const expectedOrgId = raw['expected-org-id'].trim();
  if (expectedOrgId !== '' && !isOrgId(expectedOrgId)) {
    return fail(
      'expected-org-id is not valid (not shown: it may be a key). Write the org id Fullstory shows, such as o-1G1-na1, never a key.'
    );
  }
  const single = raw['api-key'].trim() !== '' || raw['expected-level'].trim() !== '';
  if (raw.keys.trim() !== '') {
    if (single) {
      return fail('Give either api-key with expected-level, or keys, not both: keys checks several keys in one step.');
    }
    const specs = parseKeys(raw.keys, env, expectedOrgId, fail, tokens);
    return specs && { specs, batch: true };
  }

  const apiKey = raw['api-key'].trim();
  const problem = keyProblem(
    tokens,
    sources.apiKey,
    apiKey,
    message`api-key is empty. Pass the key from a secret, e.g. ${code('api-key: ${{ secrets.FULLSTORY_API_KEY }}')} (or list several keys in keys).`,
    'expected-level',
    sources.instead
  );
  if (problem !== undefined) fail(problem);
  const expectedLevel =
    raw['expected-level'].trim() === ''
      ? fail(`expected-level is required with ${sources.apiKey}: ${LEVELS.join(', ')}, the level the key must have.`)
      : (parseLevel(raw['expected-level']) ?? fail(invalidLevel('expected-level', raw['expected-level'])));
  if (problem !== undefined || expectedLevel === undefined) return undefined;
  return { specs: [{ name: 'api-key', apiKey, expectedLevel, expectedOrgId }], batch: false };
}

/**
 * An org id as a `keys` line may give it: Fullstory shows ids such as `o-1G1-na1`, or `ABC`. No dot
 * and at most 32 characters, so that a key (`na1.…`, and longer) pasted in its place is refused
 * unquoted rather than shown in the summary as the org it expects; so is one that looks like a key
 * without its realm (long, mixed case and digits).
 */
const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const isOrgId = (text: string) => ORG_ID.test(text) && !(text.length >= 16 && looksLikeSecret(text));

/**
 * One key per line, `ENV_NAME: level`, or `ENV_NAME: level org-id` for a key of another org than
 * `expected-org-id`; blank lines and `#` comments are skipped.
 */
function parseKeys(
  text: string,
  env: Environment,
  expectedOrgId: string,
  fail: Fail,
  tokens: readonly string[]
): KeySpec[] | undefined {
  const specs: KeySpec[] = [];
  let valid = true;
  const reject = (problem: string | Message) => {
    fail(problem);
    valid = false;
  };
  for (const [index, rawLine] of text.split('\n').entries()) {
    // A `#` comment, on a line of its own or after the key's words.
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const where = `keys line ${index + 1}`;
    // A malformed line is never quoted back whole: it may be a key pasted where its variable's name belongs.
    const parts = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\S+)(?:\s+(\S+))?$/.exec(line);
    if (parts === null) {
      reject(keysLineProblem(line, where));
      continue;
    }
    const [, variable, levelText, org] = parts as unknown as [string, string, string, string | undefined];
    const expectedLevel = parseLevel(levelText);
    const suspect = env[variable] === undefined && looksLikeSecret(variable);
    const name = suspect ? where : variable;
    if (RUNNER_VARIABLE.test(name)) {
      reject(`${where}: ${name} is one of the runner's own variables, not a Fullstory key.`);
    } else if (specs.some((spec) => spec.name === name)) {
      reject(`${where}: ${name} is listed twice.`);
    } else if (expectedLevel === undefined) {
      reject(invalidLevel(`${where}: the level of ${name},`, levelText));
    } else if (org !== undefined && !isOrgId(org)) {
      reject(
        `${where}: the org id after the level is not valid (not shown: it may be a key). Write an org id such as o-1G1-na1, never a key.`
      );
    } else {
      const apiKey = env[variable]?.trim() ?? '';
      const whenEmpty = suspect
        ? `${where} names no variable of this step's env, and looks like a key itself. Write the name of an env variable that holds the key, e.g. FULLSTORY_INGEST_KEY: standard, never the key.`
        : `${name} is not set or is empty in this step's env. Pass it from a secret, e.g. env: { ${name}: \${{ secrets.${name} }} }, and check that the secret exists under that name.`;
      specs.push({
        name,
        apiKey,
        expectedLevel,
        expectedOrgId: org ?? expectedOrgId,
        problem: keyProblem(tokens, name, apiKey, whenEmpty, 'its keys line, after the name')
      });
    }
  }
  if (valid && specs.length === 0) reject('keys has no key lines. Write one key per line as ENV_NAME: level.');
  if (specs.length > MAX_KEYS) reject(`keys lists ${specs.length} keys; at most ${MAX_KEYS} are checked in one step.`);
  return valid ? specs : undefined;
}

/** How a keys line is written, for the messages: the name, then the key in the step's env. */
const KEYS_EXAMPLE = 'FULLSTORY_INGEST_KEY';
const inEnv = (name: string) => message`${code(`${name}: \${{ secrets.${name} }}`)} in the step's env`;

/**
 * What is wrong with a keys line that is not `ENV_NAME: level [org-id]`, and how to write it: which
 * part is wrong, never quoting a part that may be a key (the key itself, put where its variable's
 * name belongs by `${{ secrets.NAME }}`, is the likeliest).
 */
function keysLineProblem(line: string, where: string): Message {
  const invalid = (why: Message) => message`${where} is not valid: ${why}`;
  /** A variable's name that can be shown: one that does not look like a key. */
  const showable = (text: string) => ENV_NAME.test(text) && !looksLikeSecret(text);
  const colon = line.indexOf(':');
  const name = (colon === -1 ? (line.split(/\s+/)[0] ?? '') : line.slice(0, colon)).trim();
  const after = colon === -1 ? '' : line.slice(colon + 1).trim();
  if (line.startsWith('-')) {
    const inner = line.replace(/^-\s*/, '').split(/[\s:]/)[0] ?? '';
    // The line as it was meant, where its name can be shown and what follows it is a level.
    const meant = parseLevel(after) ?? 'standard';
    const example = showable(inner) ? `${inner}: ${meant}` : `${KEYS_EXAMPLE}: standard`;
    return invalid(
      message`it starts with a dash, but keys is lines of text, not a YAML list. Write ${code(example)}, without the dash.`
    );
  }
  if (name === '') {
    return invalid(
      message`nothing stands before its colon. If it held \${{ secrets.NAME }}, that secret is empty here; and keys takes the name of a variable of the step's env, not the key: write ${code(`${KEYS_EXAMPLE}: standard`)} with ${inEnv(KEYS_EXAMPLE)}.`
    );
  }
  const expression = /^(secrets|vars|env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
  if (expression !== null) {
    const variable = showable(expression[2]!) ? expression[2]! : KEYS_EXAMPLE;
    const context = expression[1]!;
    return invalid(
      message`${code(`${context}.${showable(expression[2]!) ? variable : 'NAME'}`)} is an expression, but keys takes the name of a variable of the step's env. Write ${code(`${variable}: standard`)}, with ${code(`${variable}: \${{ ${context}.${variable} }}`)} in the step's env.`
    );
  }
  const assigned = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
  if (colon === -1 && assigned !== null) {
    const variable = showable(assigned[1]!) ? assigned[1]! : KEYS_EXAMPLE;
    return invalid(message`keys takes a colon after the name, not =. Write ${code(`${variable}: standard`)}.`);
  }
  if (isPastedKey(name)) {
    return invalid(
      message`what stands where the variable's name belongs looks like a key itself (not shown), as \${{ secrets.NAME }} there would put it. keys takes the name of a variable of the step's env that holds the key: write ${code(`${KEYS_EXAMPLE}: standard`)} with ${inEnv(KEYS_EXAMPLE)}.`
    );
  }
  if (!ENV_NAME.test(name)) {
    return invalid(
      message`${colon === -1 ? message`its first word, ${shown(name)},` : shown(name)} is not a variable's name (letters, digits and _, not starting with a digit), and keys takes the name of a variable of the step's env: e.g. ${code(`${KEYS_EXAMPLE}: standard`)}.`
    );
  }
  const shownName = showable(name) ? name : KEYS_EXAMPLE;
  if (colon === -1 || after === '') {
    return invalid(
      message`${showable(name) ? q(name) : 'the name'} has no level after a colon. Write ${code(`${shownName}: standard`)} (or architect, admin).`
    );
  }
  return invalid(
    message`after the level of ${showable(name) ? q(name) : 'the key'} only an org id may follow (and a # comment), e.g. ${code(`${shownName}: standard ORG_ID`)}.`
  );
}

const SECRETS_HINT =
  'If the secret is set, the usual cause is the trigger: workflows run for pull requests from forks get no secrets, ' +
  'and Dependabot runs see only Dependabot secrets.';

/** How GitHub's tokens begin: personal, OAuth, user-to-server, server-to-server, refresh, fine-grained. */
const GITHUB_TOKEN = /^(gh[pousr]_|github_pat_)/;

/** What stops a key from being checked at all; the key itself is never echoed, only what is wrong. */
function keyProblem(
  tokens: readonly string[],
  name: string,
  apiKey: string,
  whenEmpty: string | Message,
  levelGoes: string,
  instead = 'Pass the secret that holds the Fullstory key.'
): Message | undefined {
  if (apiKey === '') return message`${whenEmpty} ${SECRETS_HINT}`;
  if (GITHUB_TOKEN.test(apiKey) || tokens.includes(apiKey)) {
    return message`${name} holds a GitHub token, not a Fullstory API key, and a GitHub token is never sent to Fullstory. ${instead}`;
  }
  // A key saved with its quotes ("na1.…") would be sent as it is, and rejected as a wrong key.
  if (/^(["'`]).*\1$/s.test(apiKey) && apiKey.length > 1) {
    return message`${name} is wrapped in quotes, which are no part of a key, so it was not sent. Set it to the key alone, without the quotes.`;
  }
  if (/^["'`]|["'`]$/.test(apiKey)) {
    return message`${name} begins or ends with a quotation mark, which is no part of a key, so it was not sent. Set it to the key alone, exactly as Fullstory showed it.`;
  }
  if (!isKeyText(apiKey)) {
    return message`${name} contains spaces, line breaks or non-ASCII characters inside it. Paste the key exactly as Fullstory showed it.`;
  }
  if (isLevelWord(apiKey)) {
    return message`${name} holds a permission level, not a key: give the key itself there, and the level it must have in ${levelGoes}.`;
  }
  if (apiKey.length < MIN_KEY_LENGTH) {
    const length = `${apiKey.length} character${apiKey.length === 1 ? '' : 's'}`;
    return message`${name} is only ${length} long, too short to be an API key. Paste the whole key as Fullstory showed it.`;
  }
  return undefined;
}

function isKeyText(apiKey: string): boolean {
  return /^[\x21-\x7e]+$/.test(apiKey);
}

function invalidLevel(what: string, text: string): Message {
  return message`${what} ${shown(text)} is not valid.${didYouMean(text, LEVEL_WORDS)} Use one of ${LEVELS.join(', ')} (case-insensitive; the API role names USER, ARCHITECT and ADMIN are accepted too).`;
}

const LEVEL_WORDS = [...LEVELS, ...LEVELS.map((level) => ROLE_OF_LEVEL[level].toLowerCase())];
const isLevelWord = (text: string) => LEVEL_WORDS.includes(text.trim().toLowerCase());
const BOOLEANS = ['true', 'false'] as const;

/**
 * ` Did you mean standard?` for a typo of a valid value (two letters wrong, or a third of them),
 * else nothing. A role name suggests its level: `usr` is `standard`.
 */
export function didYouMean(text: string, candidates: readonly string[]): string {
  const typed = text.trim().toLowerCase();
  if (typed === '') return '';
  const maxDistance = Math.max(2, Math.floor(typed.length / 3));
  const closest = closestMatch(typed, candidates, { maxDistance });
  if (closest === undefined) return '';
  const level = LEVELS.find((one) => ROLE_OF_LEVEL[one].toLowerCase() === closest);
  return ` Did you mean ${level ?? closest}?`;
}

/** The YAML 1.2 core-schema booleans that core.getBooleanInput accepts; empty takes the default. */
export function parseBoolean(text: string, fallback: boolean): boolean | undefined {
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

function parseApiUrl(text: string, fail: Fail): URL | undefined {
  const value = text.trim() || 'https://api.fullstory.com';
  let base: URL;
  try {
    base = new URL(value);
  } catch {
    return fail(
      message`api-url ${shown(text)} is not a URL. Use https://api.fullstory.com or your proxy's https:// URL.`
    );
  }
  if (base.username !== '' || base.password !== '') {
    return fail('api-url must not contain a user name or password: the key is the only credential sent.');
  }
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
    return fail(
      message`api-url ${shown(value)} is not allowed: the key may only be sent over https:// (plain http:// only to a loopback host such as 127.0.0.1).`
    );
  }
  if (base.search !== '' || base.hash !== '') {
    return fail(message`api-url ${shown(value)} must not have a query string or fragment; a path prefix is fine.`);
  }
  // A path prefix (a proxy) is kept: /me is resolved under it, with or without a trailing slash.
  base.pathname = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL('me', base);
}
