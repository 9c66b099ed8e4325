// fullstory-key-check for people and other CI systems: the same settings, check and verdict as the
// action, with the key from FULLSTORY_API_KEY or standard input, never from an argument. `main`
// takes what it talks to (its streams, the HTTP client, the clock); cli-entry.ts is the process.

import { parseArgs } from 'node:util';
import { InputError, didYouMean, maskable, parseSettings, type RawInputs, type Settings } from './inputs.js';
import { checkKeys, policyOf, type Checked } from './check.js';
import { realClock, type Clock } from './clock.js';
import { Deadline } from './deadline.js';
import { TLS_KEPT, keepTlsVerified, proxyCredentials, requestOnce, type Send } from './fullstory.js';
import { describeKey } from './keys.js';
import { secrets } from './redact.js';
import { HEADER, tableRow } from './table.js';
import { asTerminalCell, asText, jsonLine, message, type Message } from './text.js';
import { advice, cliTerms, type Result, type Terms } from './verdict.js';
import { VERSION } from './version.js';

export const EXIT: Readonly<Record<Result | 'usage' | 'interrupted', number>> = {
  match: 0,
  mismatch: 1,
  usage: 2,
  'invalid-key': 3,
  error: 4,
  // 128 + SIGINT, as shells report a command stopped by Ctrl-C.
  interrupted: 130
};

const USAGE = `Usage: fullstory-key-check --expected-level LEVEL [options]

Checks a Fullstory server API key with GET /me: is it valid, and does it have the permission
level you expect? The key is read from the FULLSTORY_API_KEY environment variable, or else from
standard input (a hidden prompt on a terminal). It is never taken as an argument: arguments end
up in shell history and process lists.

Options:
  --expected-level LEVEL    standard, architect or admin (or USER, ARCHITECT, ADMIN). Required.
  --match MODE              exact (default): the level must be exactly LEVEL, so an over-privileged
                            key fails; at-least: LEVEL or higher.
  --expected-org-id ID      the key must also belong to this Fullstory org.
  --api-url URL             default https://api.fullstory.com (https only, except loopback).
  --timeout-seconds N       the whole time budget, retries included (default 30).
  --max-attempts N          tries at most after server or network errors (default 3); a rate
                            limit (429) is waited out within --timeout-seconds, not counted.
  --json                    print one JSON object instead of the table; its fields are spelled
                            as the action's outputs: result, matches, key, role, level, org-id,
                            expected, over-privileged, problems, advice.
  -h, --help                print this help.
  --version                 print the version.

Exit codes:
  0  the key matches
  1  the key works but does not match (level or org)
  2  usage error (bad arguments, no key)
  3  invalid key: Fullstory rejected it (401 or 403)
  4  could not verify: network, timeout, rate limit, server error, malformed answer
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number

Examples:
  read -rs FULLSTORY_API_KEY && export FULLSTORY_API_KEY
  npx fullstory-key-check --expected-level standard
  fullstory-key-check --expected-level architect --json < key.txt

Colour is used only on a terminal, and never when NO_COLOR is set.
`;

export interface Io {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** One request to GET /me: the HTTP client. */
  send?: Send;
  clock?: Clock;
}

class UsageError extends Error {}
class Interrupted extends Error {}

const OPTIONS = {
  'expected-level': { type: 'string' },
  match: { type: 'string' },
  'expected-org-id': { type: 'string' },
  'api-url': { type: 'string' },
  'timeout-seconds': { type: 'string' },
  'max-attempts': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' }
} as const;

const OPTION_FLAGS = Object.keys(OPTIONS).map((name) => `--${name}`);

/** Everything the CLI prints leaves through here, redacted of the key. */
export function print(stream: NodeJS.WriteStream, text: string): void {
  stream.write(secrets.redact(text));
}

export async function main(io: Io): Promise<number> {
  if (keepTlsVerified(io.env)) print(io.stderr, `fullstory-key-check: warning: ${TLS_KEPT}\n`);
  for (const value of proxyCredentials(io.env)) secrets.add({ value, label: "the proxy's user and password" });
  try {
    // In any spelling: a near miss would otherwise be an unknown option whose suggestion is --api-url.
    if (io.argv.some((arg) => /^--?(api[-_]?)?key(=|$)/i.test(arg))) {
      throw new UsageError(
        '--api-key is not accepted: arguments are kept in shell history and shown in process lists. ' +
          'Set FULLSTORY_API_KEY, or pipe the key on standard input, or type it at the hidden prompt.'
      );
    }
    let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
    try {
      ({ values } = parseArgs({ args: io.argv, options: OPTIONS, strict: true, allowPositionals: false }));
    } catch (error) {
      throw new UsageError(argumentProblem(error as Error & { code?: string }));
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.match;
    }
    if (values.version) {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.match;
    }
    if (values['expected-level'] === undefined)
      throw new UsageError('--expected-level is required (standard, architect or admin).');

    const fromEnv = (io.env.FULLSTORY_API_KEY ?? '').trim();
    const apiKey = fromEnv || (await readKey(io));
    if (maskable(apiKey)) secrets.add({ value: apiKey, label: describeKey(apiKey) });
    // Messages about the key name where it came from: the CLI refuses --api-key.
    const source =
      fromEnv !== ''
        ? 'FULLSTORY_API_KEY'
        : io.stdin.isTTY
          ? 'the key typed at the prompt'
          : 'the key on standard input';
    if (apiKey === '') {
      throw new UsageError(
        'No key: set FULLSTORY_API_KEY, or pipe the key on standard input, or run on a terminal to be prompted.'
      );
    }
    const raw: RawInputs = {
      'api-key': apiKey,
      'expected-level': values['expected-level'],
      keys: '',
      match: values.match ?? '',
      'expected-org-id': values['expected-org-id'] ?? '',
      'fail-on-mismatch': 'true',
      'api-url': values['api-url'] ?? '',
      'timeout-seconds': values['timeout-seconds'] ?? '',
      'max-attempts': values['max-attempts'] ?? '',
      'alert-issue': 'false',
      'check-name': '',
      'github-token': ''
    };
    let settings: Settings;
    try {
      settings = parseSettings(raw, io.env, { apiKey: source, instead: 'Give the Fullstory key instead.' });
    } catch (error) {
      if (error instanceof InputError) {
        throw new UsageError(error.problems.map((problem) => asText(asOptions(problem))).join('\n'));
      }
      throw error;
    }
    const terms = cliTerms(source);

    // The time budget starts once the key is in hand: a person at the prompt is not on the clock.
    const deadline = new Deadline(settings.timeoutMs, io.clock ?? realClock);
    const [checked] = await checkKeys(settings, deadline, io.send ?? requestOnce).finally(() => deadline.dispose());
    const result = checked!.verdict.result;
    if (values.json) {
      print(io.stdout, `${jsonLine(asJson(settings, checked!, terms))}\n`);
    } else {
      const todo = advice(policyOf(settings, checked!.key), checked!.verdict, terms);
      const notes = [...checked!.verdict.problems.map((problem) => `- ${asText(asOptions(problem))}`)];
      if (todo !== undefined) notes.push(asText(asOptions(todo)));
      print(io.stdout, render([...HEADER], tableRow(settings, checked!), notes, useColour(io) ? result : undefined));
    }
    return EXIT[result];
  } catch (error) {
    if (error instanceof Interrupted) return EXIT.interrupted;
    if (error instanceof UsageError) {
      print(io.stderr, `fullstory-key-check: ${error.message}\nSee fullstory-key-check --help.\n`);
      return EXIT.usage;
    }
    print(io.stderr, unexpected(error));
    return EXIT.error;
  }
}

/** The settings the CLI has as options, named as inputs in the shared messages (`api-url`). */
const SETTING = /(?<![\w-])(expected-level|expected-org-id|api-url|timeout-seconds|max-attempts)(?![\w-])/g;

/**
 * The shared messages name the action's inputs (`timeout-seconds`, `match "x" is not valid`); the
 * CLI's are options: its own prose is renamed, never a quoted value.
 */
function asOptions(parts: Message): Message {
  return parts.map((part, i) => {
    if (typeof part !== 'string') return part;
    const renamed = part.replace(SETTING, '--$1');
    // `match` is a word of prose too: an option only where a message begins with it.
    return i === 0 ? renamed.replace(/^match(?= )/, '--match') : renamed;
  });
}

/** One line, and never the argument itself where it may be a key pasted in the wrong place. */
function argumentProblem(error: Error & { code?: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return (
      'this command takes options only, and was given an argument that is none (not shown: it may be a key). ' +
      'Give the key in FULLSTORY_API_KEY or on standard input.'
    );
  }
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'(.*?)'/.exec(error.message)?.[1] ?? '';
    if (!/^--?[a-z][a-z_-]{0,30}$/i.test(option)) return 'Unknown option (not shown: it may be a key).';
    return `Unknown option '${option}'.${suggestOption(option)}`;
  }
  return asText([error.message]);
}

/**
 * ` Did you mean --expected-org-id?` for a typo of an option, or for a part of one (--orgid,
 * --org-id, --level, --timeout), in any case and with _ for -; else nothing.
 */
function suggestOption(option: string): string {
  const typo = didYouMean(option, OPTION_FLAGS);
  if (typo !== '') return typo;
  const letters = (text: string) => text.replace(/^-+/, '').replace(/[-_]/g, '').toLowerCase();
  const typed = letters(option);
  if (typed.length < 3) return '';
  const found = OPTION_FLAGS.filter((flag) => {
    const whole = letters(flag);
    return whole === typed || whole.endsWith(typed) || whole.startsWith(typed);
  });
  return found.length === 1 ? ` Did you mean ${found[0]}?` : '';
}

/** A bug, not a verdict: one line, without a stack trace. */
export function unexpected(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  return `${asText(message`fullstory-key-check: unexpected error, so the key is not verified: ${text}`)}\n`;
}

/**
 * The verdict as one JSON object: no key (only its realm and suffix) and no creator's email. Its
 * fields are spelled as the action's outputs are (`org-id`, as in `results`).
 */
function asJson(settings: Settings, { key, verdict }: Checked, terms: Terms) {
  const { match } = settings;
  const todo = advice(policyOf(settings, key), verdict, terms);
  return {
    result: verdict.result,
    matches: verdict.result === 'match',
    key: describeKey(key.apiKey),
    role: verdict.me?.role ?? null,
    level: verdict.level ?? null,
    'org-id': verdict.me?.orgId ?? null,
    expected: { level: key.expectedLevel, match, 'org-id': key.expectedOrgId === '' ? null : key.expectedOrgId },
    'over-privileged': verdict.overPrivileged,
    problems: verdict.problems.map((problem) => asText(asOptions(problem))),
    advice: todo === undefined ? null : asText(asOptions(todo))
  };
}

const COLOUR: Record<Result, string> = { match: '32', mismatch: '31', 'invalid-key': '31', error: '33' };

/**
 * The summary's table as aligned text (values bare when plain, otherwise quoted with every control
 * escaped), then the problems and what to do, each line already shown through asText.
 */
function render(header: string[], row: Message[], notes: string[], colour?: Result): string {
  const cells = row.map(asTerminalCell);
  const widths = header.map((title, i) => Math.max(title.length, cells[i]!.length));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  let verdict = line(cells);
  if (colour !== undefined) verdict = `\u001b[${COLOUR[colour]}m${verdict}\u001b[0m`;
  return [line(header), verdict, ...notes, ''].join('\n');
}

function useColour({ stdout, env }: Io): boolean {
  return stdout.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** The key from standard input: typed at a hidden prompt on a terminal, or piped. */
async function readKey({ stdin, stderr }: Io): Promise<string> {
  if (stdin.isTTY) return promptHidden(stdin, stderr);
  let text = '';
  for await (const chunk of stdin.setEncoding('utf8')) {
    text += chunk;
    if (text.length > 64 * 1024) throw new UsageError('Standard input is larger than any key: pipe only the key.');
  }
  return text.trim();
}

/** Reads a line without echoing it, the way password prompts do. */
function promptHidden(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<string> {
  // Echo off before the prompt shows: a key pasted the moment it appears is never echoed.
  stdin.setRawMode(true);
  stderr.write('Fullstory API key (input hidden): ');
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (done: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      done();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(typed.trim()));
        if (char === '\u0003') return finish(() => reject(new Interrupted()));
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}
