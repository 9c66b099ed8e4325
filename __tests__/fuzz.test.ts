// Property-based fuzzing of the whole action: random inputs, one key or a batch of them, against a
// scripted emulator that answers each request with a random status, headers, body and delivery
// (answers that never settle included), or behind a proxy that never answers. Every case must keep
// the two promises (fail closed, leak nothing), agree on exit code and `result`, end within its
// time budget (the whole step's), and never print a stack trace.
//
// `npm test` runs a fixed-seed corpus; `npm run fuzz` a long campaign. A failure prints the seed
// and path: replay it with FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz (FUZZ_SHRINK=1 to shrink).

import { afterAll, beforeAll, expect } from '@jest/globals';
import fc from 'fast-check';
import { ECHOES, startEmulator } from '../emulator/fullstory-emulator.mjs';
import { FAKE_GITHUB_TOKEN, runAction, withoutMaskCommand, type ActionRun } from './helpers/run-action.js';
import { startRawServer, type RawServer } from './helpers/raw-server.js';
import { startFakeGitHub, type FakeGitHub } from './helpers/fake-github.js';
import { decoded, keyPiecesIn } from './helpers/assertions.js';
import { renderGfm } from './helpers/gfm.js';
import { itWith } from './helpers/runtimes.js';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const PATH = process.env.FUZZ_PATH;
const SHRINK = process.env.FUZZ_SHRINK === '1';
/** Node's start-up and a loaded machine: the step itself must end within timeout-seconds + ~1 s. */
const MARGIN_MS = 1500;

let fullstory: Emulator;
let elsewhere: Emulator;
/** A proxy that accepts connections and never answers CONNECT. */
let stalledProxy: RawServer;
/** GitHub's API for the alert issue: records every body posted to it. */
let github: FakeGitHub;
beforeAll(async () => {
  fullstory = await startEmulator();
  elsewhere = await startEmulator();
  stalledProxy = await startRawServer(() => undefined);
  github = await startFakeGitHub('acme/fuzz');
});
afterAll(async () => {
  await Promise.all([fullstory.close(), elsewhere.close(), stalledProxy.close(), github.close()]);
});

// ---- what the emulator answers -------------------------------------------------------------

const printable = (max: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${max}}$`));
/** The emulator fills these in with the key of the request it answers: a server that echoes it. */
const echo = fc
  .tuple(printable(8), fc.constantFrom(...ECHOES), printable(8))
  .map(([before, placeholder, after]) => `${before}${placeholder}${after}`);
const email = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[0-9a-f]{10}$/).map((id) => `fuzz.${id}@example.com`) },
  { weight: 1, arbitrary: echo }
);
const role = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('USER', 'ARCHITECT', 'ADMIN') },
  { weight: 1, arbitrary: echo },
  { weight: 2, arbitrary: fc.constantFrom('UNKNOWN', 'VIEW_ONLY', 'UMBRELLA_MANAGER', 'admin', 'User', ' ADMIN', '') },
  { weight: 1, arbitrary: fc.string() },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.constant('ADMIN'), { maxLength: 2 }),
      fc.constant({ name: 'ADMIN' })
    )
  }
);
const orgId = fc.oneof(fc.constantFrom('o-FUZZ', 'o-OTHER', ''), printable(30), fc.integer(), echo);
/** Fullstory's error body, `{code, message}`, read from a 401 or 403. */
const said = fc.oneof(printable(40), echo);

const me = fc.record({ role, orgId, email, code: said, message: said }, { requiredKeys: [] });
const body = fc.oneof(
  { weight: 8, arbitrary: me.map((value) => JSON.stringify(value)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(role, role, email)
      .map(
        ([a, b, mail]) => `{"role":${JSON.stringify(a)},"orgId":"o-FUZZ","email":"${mail}","role":${JSON.stringify(b)}}`
      )
  },
  {
    weight: 1,
    arbitrary: fc.tuple(me, fc.nat()).map(([value, cut]) => {
      const text = JSON.stringify(value);
      return text.slice(0, cut % (text.length + 1));
    })
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 40_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`)
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 64 * 1024 - 64, max: 3 * 1024 * 1024 }), email)
      .map(([size, mail]) => JSON.stringify({ role: 'USER', orgId: 'o-FUZZ', email: mail, pad: 'x'.repeat(size) }))
  },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '"USER"', '{}') }
);
const status = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 3, arbitrary: fc.constantFrom(401, 403, 429, 500, 502, 503) },
  { weight: 1, arbitrary: fc.constantFrom(201, 202, 203, 204, 206, 299, 304, 400, 404, 408, 418, 451) },
  { weight: 1, arbitrary: fc.constantFrom(301, 302, 303, 307, 308) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 599 }) }
);
const retryAfter = fc.oneof(
  fc.integer({ min: 0, max: 2 }).map(String),
  fc.constantFrom('-1', '1.5', 'soon', '', '99999999999999999999', 'Thu, 01 Jan 2026 00:00:00 GMT'),
  fc.integer({ min: 0, max: 3 }).map((s) => new Date(Date.now() + s * 1000).toUTCString())
);
const headers = fc.record(
  {
    'retry-after': retryAfter,
    'content-type': fc.constantFrom('application/json', 'text/html', 'application/json; charset=utf-16', ''),
    'x-request-id': printable(40),
    'cache-control': printable(20),
    location: fc.constantFrom('ELSEWHERE', 'ELSEWHERE?k={{key}}')
  },
  { requiredKeys: [] }
);
const delivery = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant({ chunked: true }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1200 }).map((delayMs) => ({ delayMs })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...(['before-headers', 'after-headers', 'mid-body'] as const))
      .map((reset) => ({ reset }))
  },
  { weight: 1, arbitrary: fc.constantFrom({ hang: true as const }, { hang: 'after-headers' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 120 }).map((intervalMs) => ({ drip: { intervalMs } })) },
  // Answers that never settle the request: a 101 to a plain GET, 1xx forever, headers forever.
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant({ upgrade: true as const }),
      fc
        .record({ status: fc.constantFrom(100, 102, 103, 199), intervalMs: fc.integer({ min: 20, max: 400 }) })
        .map((informational) => ({ informational })),
      fc.integer({ min: 20, max: 400 }).map((intervalMs) => ({ endlessHeaders: { intervalMs } }))
    )
  }
);
interface Behaviour {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  chunked?: boolean;
  delayMs?: number;
  reset?: 'before-headers' | 'after-headers' | 'mid-body';
  hang?: true | 'after-headers';
  drip?: { intervalMs: number };
  upgrade?: true;
  informational?: { status: number; intervalMs: number };
  endlessHeaders?: { intervalMs: number };
}
const chaotic: fc.Arbitrary<Behaviour> = fc
  .record({ status, headers, body, delivery })
  .map(({ delivery: how, ...rest }) => ({ ...rest, ...how }));
/** A whole, well-formed answer: the cases where the verdict itself is decided. */
const clean: fc.Arbitrary<Behaviour> = fc
  .record({
    role: fc.constantFrom('USER', 'ARCHITECT', 'ADMIN', 'VIEW_ONLY'),
    orgId: fc.constantFrom('o-FUZZ', 'o-OTHER'),
    email
  })
  .map((answer) => ({ status: 200, headers: {}, body: JSON.stringify(answer) }));
const behaviour = fc.oneof({ weight: 2, arbitrary: clean }, { weight: 3, arbitrary: chaotic });

// ---- the action's inputs -------------------------------------------------------------------

const key = fc
  .tuple(fc.constantFrom('na1.', 'eu1.', ''), fc.stringMatching(/^[A-Za-z0-9]{24,40}$/))
  .map(([realm, rest]) => `${realm}fuzzKey${rest}`);
const level = fc.constantFrom('standard', 'architect', 'admin', 'USER', 'Architect', 'ADMIN');
/** One key (api-key) or a batch (keys), each key with its own expected level. */
const keys = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(key, level).map((one) => [one]) },
  { weight: 1, arbitrary: fc.uniqueArray(fc.tuple(key, level), { minLength: 1, maxLength: 12, selector: ([k]) => k }) }
);
const validInputs = fc.record({
  match: fc.constantFrom('exact', 'at-least', 'AT-LEAST', ''),
  'expected-org-id': fc.constantFrom('', 'o-FUZZ', 'o-OTHER'),
  'fail-on-mismatch': fc.constantFrom('', 'true', 'false', 'FALSE'),
  'timeout-seconds': fc.constantFrom('0.5', '1', '1.5'),
  'max-attempts': fc.constantFrom('1', '2', '3', '4'),
  'api-url': fc.constantFrom('URL', 'URL/')
});
/** Bad inputs of either mode; `LEVEL` and `KEY` stand for the first key's level and value. */
const badInput: fc.Arbitrary<Record<string, string>> = fc.constantFrom<Record<string, string>>(
  { LEVEL: 'owner' },
  { LEVEL: '' },
  { match: 'minimum' },
  { 'fail-on-mismatch': 'yes' },
  { 'timeout-seconds': '0' },
  { 'timeout-seconds': '-1' },
  { 'timeout-seconds': 'soon' },
  { 'max-attempts': '0' },
  { 'max-attempts': '11' },
  { 'api-url': 'http://api.fullstory.example' },
  { 'api-url': 'not a url' },
  { KEY: '' },
  { KEY: 'has a space' }
);
const scenario = fc.record({
  keys,
  batch: fc.boolean(),
  inputs: validInputs,
  bad: fc.option(badInput, { freq: 6 }),
  /** The alert issue, and whether GitHub's API echoes the token back in its error. */
  alert: fc.constantFrom('off', 'off', 'on', 'echo-token'),
  /** Where the request goes: to api-url, or into a proxy that never answers CONNECT. */
  stalledProxy: fc.oneof({ weight: 11, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  // Enough answers for every attempt of every key; the rest get the emulator's real /me.
  script: fc.array(behaviour, { minLength: 4, maxLength: 48 })
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

// ---- the oracle: written apart from src/, from the contract ----------------------------------

const RANK: Record<string, number> = { USER: 0, ARCHITECT: 1, ADMIN: 2 };
const WANT: Record<string, number> = { standard: 0, user: 0, architect: 1, admin: 2 };
const WORST = ['match', 'mismatch', 'invalid-key', 'error'];

function served200(b: Behaviour | undefined): { role: string; orgId: string } | undefined {
  if (b === undefined) return undefined;
  if (b.status !== 200 || b.hang || b.reset || b.upgrade || b.informational || b.endlessHeaders) return undefined;
  const bytes = Buffer.isBuffer(b.body) ? b.body : Buffer.from(b.body);
  if (bytes.length > 64 * 1024) return undefined;
  // Only a JSON answer is /me's (the emulator's default type is application/json).
  const type = b.headers['content-type'] ?? 'application/json';
  if (!['application/json', 'application/json; charset=utf-16'].includes(type)) return undefined;
  try {
    const json: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
    const { role: r, orgId: o } = json as Record<string, unknown>;
    return typeof r === 'string' ? { role: r, orgId: typeof o === 'string' ? o : '' } : undefined;
  } catch {
    return undefined;
  }
}

/** What the emulator sent for `key`: the echo placeholders filled in, as the emulator does. */
function filled(text: string, key: string): string {
  const half = Math.floor(key.length / 2);
  const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');
  const forms: Record<string, string> = {
    '{{key}}': key,
    '{{key:first-half}}': key.slice(0, half),
    '{{key:second-half}}': key.slice(half),
    '{{key:no-realm}}': key.replace(/^(na1|eu1)\./, ''),
    '{{authorization}}': `Basic ${key}`,
    '{{key:entities}}': [...key].map((c) => `&#x${hex(c)};`).join(''),
    '{{key:percent}}': [...key].map((c) => `%${hex(c)}`).join(''),
    '{{key:escaped}}': [...key].map((c) => (/[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : c)).join(''),
    '{{key:json}}': [...key].map((c) => `\\u${hex(c).padStart(4, '0')}`).join(''),
    '{{key:upper}}': key.toUpperCase(),
    '{{key:slice}}': key.slice(half - 4, half + 4),
    '{{key:basic-base64}}': Buffer.from(`Basic ${key}`).toString('base64'),
    '{{key:base64}}': Buffer.from(key).toString('base64')
  };
  return Object.entries(forms).reduce((out, [placeholder, form]) => out.split(placeholder).join(form), text);
}

/** Whether `text` holds 8 characters in a row of any of `secrets`, in any case, as it is or with its escapes decoded. */
function holdsPiece(text: string, secrets: readonly string[]): boolean {
  const folded = [text, decoded(text)].map((reading) => reading.toLowerCase());
  return secrets.some((secret) => {
    for (const spelled of [secret, Buffer.from(secret).toString('base64').slice(0, -4)]) {
      for (let i = 0; i + 8 <= spelled.length; i += 1) {
        const piece = spelled.slice(i, i + 8).toLowerCase();
        if (folded.some((reading) => reading.includes(piece))) return true;
      }
    }
    return false;
  });
}

function emailsIn(script: Behaviour[]): string[] {
  return script.flatMap((b) =>
    Buffer.isBuffer(b.body) ? [] : [...b.body.matchAll(/fuzz\.[0-9a-f]{10}@example\.com/g)].map((m) => m[0])
  );
}

/** One case as the action gets it: its inputs and step env, and each key with what it must be. */
interface Case {
  inputs: Record<string, string>;
  env: Record<string, string>;
  keys: { name: string; value: string; level: string }[];
  batch: boolean;
  invalid: boolean;
}

function caseOf(c: Scenario): Case {
  const batch = c.batch || c.keys.length > 1;
  const { LEVEL, KEY, ...bad } = c.bad ?? {};
  const keys = c.keys.map(([value, level], i) => ({
    name: batch ? `FZ_${i}` : 'api-key',
    value: i === 0 && KEY !== undefined ? KEY : value,
    level: i === 0 && LEVEL !== undefined ? LEVEL : level
  }));
  const inputs: Record<string, string> = {
    ...c.inputs,
    'api-url': c.stalledProxy ? 'https://api.fullstory.test' : c.inputs['api-url'].replace('URL', fullstory.url),
    ...bad
  };
  if (batch) inputs.keys = keys.map(({ name, level }) => `${name}: ${level}`).join('\n');
  else Object.assign(inputs, { 'api-key': keys[0]!.value, 'expected-level': keys[0]!.level });
  const env = batch ? Object.fromEntries(keys.map(({ name, value }) => [name, value])) : {};
  // A batch's own bad key (empty, or with a space) is that key's error; anything else here is bad input.
  const invalid = c.bad !== null && !(batch && KEY !== undefined);
  return { inputs, env, keys, batch, invalid };
}

function checkCase(c: Case, script: Behaviour[], run: ActionRun): void {
  // No leak, whatever happened: no 8 characters in a row of any key, in any channel, raw or with
  // HTML entities and Markdown escapes decoded; the alert issue's bodies included.
  const posted = JSON.stringify(github.calls.map(({ call, body }) => ({ call, body })));
  const channels = [
    withoutMaskCommand(run.stdout),
    run.stderr,
    run.summary,
    JSON.stringify(Object.entries(run.outputs).filter(([n]) => n !== 'email')),
    posted
  ].join('\n');
  const everywhere = [channels, withoutMaskCommand(run.everything), JSON.stringify(run.outputs)].join('\n');
  for (const { value } of c.keys) {
    const apiKey = value.trim();
    if (apiKey === '') continue;
    expect(keyPiecesIn(everywhere, apiKey)).toEqual([]);
    expect(run.everything.split(apiKey).length - 1).toBe(1);
    expect(run.stdout).toContain(`::add-mask::${apiKey}\n`);
  }
  expect(keyPiecesIn([channels, withoutMaskCommand(run.everything)].join('\n'), FAKE_GITHUB_TOKEN)).toEqual([]);
  // The summary and the alert issue render as one table, a row per key, six cells each, with no
  // link, image or markup that a server's text could have made. The summary's one link of its
  // own is to the alert issue, built from the run's variables.
  const ownLinks = (markdown: string, links: string[]) =>
    markdown === run.summary
      ? links.filter((link) => !/^https:\/\/github\.com\/acme\/fuzz\/issues\/\d+$/.test(link))
      : links;
  if (c.invalid) {
    const rendered = renderGfm(run.summary);
    expect(rendered.text).toMatch(/No key was checked: the inputs are not valid\./);
    expect([rendered.tables, ownLinks(run.summary, rendered.links)]).toEqual([[], []]);
  }
  for (const [markdown, links] of [
    [c.invalid ? '' : run.summary, []],
    ...github.calls
      .filter(({ body }) => body !== '')
      .map(({ body }) => [(JSON.parse(body) as { body?: string }).body ?? '', ['RUN']])
  ] as [string, string[]][]) {
    if (markdown === '') continue;
    const rendered = renderGfm(markdown);
    // Inputs that are not valid alert too (a deleted secret): a list of what to fix, no table.
    if (c.invalid) {
      expect(rendered.text).toMatch(/No key was checked: the inputs are not valid\./);
      expect(rendered.tables).toEqual([]);
    } else {
      expect(rendered.tables).toHaveLength(1);
      expect(rendered.tables[0]!.map((row) => row.length)).toEqual(Array.from({ length: c.keys.length + 1 }, () => 6));
    }
    expect(ownLinks(markdown, rendered.links).map((link) => (link.endsWith('/actions/runs/1') ? 'RUN' : link))).toEqual(
      links
    );
    expect(
      rendered.tags.filter(
        (tag) => !['h3', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'ul', 'li', 'p', 'a'].includes(tag)
      )
    ).toEqual([]);
  }
  for (const mail of emailsIn(script)) expect(channels).not.toContain(mail);
  expect(run.stderr).toBe('');
  expect(run.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  // Only api-url's host ever gets a request.
  expect(elsewhere.requests).toHaveLength(0);

  if (c.invalid) {
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({ result: 'error', matches: 'false' });
    expect(fullstory.requests).toHaveLength(0);
    return;
  }

  // The whole step, every key together, within timeout-seconds.
  expect(run.ms).toBeLessThan(Number(c.inputs['timeout-seconds']) * 1000 + MARGIN_MS);
  const failOnMismatch = !['false', 'FALSE'].includes(c.inputs['fail-on-mismatch'] ?? '');
  const exact = (c.inputs.match ?? '').toLowerCase() !== 'at-least';
  const results = JSON.parse(run.outputs.results ?? 'null') as {
    name: string;
    result: string;
    role: string | null;
    'org-id': string | null;
  }[];
  expect(results.map(({ name }) => name)).toEqual(c.keys.map(({ name }) => name));

  let passes = true;
  for (const [i, spec] of c.keys.entries()) {
    const { result, role: reportedRole, 'org-id': reportedOrg } = results[i]!;
    expect(WORST).toContain(result);
    passes &&=
      result === 'match' || (result === 'mismatch' && !failOnMismatch && RANK[reportedRole ?? ''] !== undefined);
    const mine = fullstory.requests.filter((request) => request.headers.authorization === `Basic ${spec.value.trim()}`);
    // A 429 is the batch's pace, not this key's failure: README says it is retried within
    // timeout-seconds and is no attempt; every other answer counts against max-attempts.
    const attempts = mine.filter((request) => (request.behaviour as Behaviour | undefined)?.status !== 429);
    expect(attempts.length).toBeLessThanOrEqual(Number(c.inputs['max-attempts']));
    if (spec.value.trim() === '' || /\s/.test(spec.value.trim())) {
      expect(result).toBe('error');
      expect(mine).toHaveLength(0);
      continue;
    }
    const last = mine.at(-1)?.behaviour as Behaviour | undefined;
    // An unscripted request got the emulator's real answer: a 401 for a fuzz key.
    const lastStatus = mine.length > 0 && last === undefined ? 401 : last?.status;
    if (result === 'match' || result === 'mismatch') {
      // Fail closed: a verdict on the key needs a whole 200 with a string role, and a match needs
      // that role to satisfy the policy. Values are reported as they came, unless they held a key.
      const answer = served200(last);
      expect(answer).toBeDefined();
      const secrets = c.keys.map(({ value: key }) => key.trim()).filter((key) => key !== '');
      for (const [reported, served] of [
        [reportedRole, filled(answer!.role, spec.value.trim())],
        [reportedOrg, filled(answer!.orgId, spec.value.trim())]
      ] as const) {
        if (holdsPiece(served, secrets)) expect(reported).toContain('[redacted: ');
        else expect(reported).toBe(served);
      }
      const have = RANK[answer!.role];
      const want = WANT[spec.level.toLowerCase()]!;
      const levelOk = have !== undefined && (exact ? have === want : have >= want);
      const orgOk = c.inputs['expected-org-id'] === '' || c.inputs['expected-org-id'] === answer!.orgId;
      expect(result).toBe(levelOk && orgOk ? 'match' : 'mismatch');
    } else if (result === 'invalid-key') {
      expect([401, 403]).toContain(lastStatus);
    } else {
      expect(reportedRole).toBeNull();
    }
  }

  const overall = results.map(({ result }) => result).reduce((a, b) => (WORST.indexOf(b) > WORST.indexOf(a) ? b : a));
  expect(run.outputs.result).toBe(overall);
  expect(run.outputs.matches).toBe(String(overall === 'match'));
  expect(run.code).toBe(passes ? 0 : 1);
  if (!c.batch && c.keys.length === 1) expect(run.outputs.role).toBe(results[0]!.role ?? undefined);
}

itWith(
  { node24: true, commands: ['unshare', 'cmark-gfm'] },
  `keeps its promises on ${RUNS} random cases (seed ${SEED})`,
  async () => {
    const property = fc.asyncProperty(scenario, async (scenarioCase) => {
      fullstory.reset();
      elsewhere.reset();
      github.issues.length = 0;
      github.calls.length = 0;
      github.echoToken = scenarioCase.alert === 'echo-token';
      const script = scenarioCase.script.map((b) =>
        b.headers.location === undefined
          ? b
          : {
              ...b,
              headers: { ...b.headers, location: b.headers.location.replace('ELSEWHERE', `${elsewhere.url}/me`) }
            }
      );
      fullstory.script(...script);
      const c = caseOf(scenarioCase);
      const alert: Record<string, string> =
        scenarioCase.alert === 'off'
          ? {}
          : { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/fuzz', GITHUB_RUN_ID: '1' };
      if (scenarioCase.alert !== 'off' && !('alert-issue' in c.inputs)) c.inputs['alert-issue'] = 'true';
      const env = { ...c.env, ...alert };
      const run = await runAction(
        c.inputs,
        scenarioCase.stalledProxy
          ? { env: { ...env, https_proxy: stalledProxy.url }, hosts: { 'api.fullstory.test': '127.0.0.1' } }
          : { env }
      );
      checkCase(c, script, run);
      if (scenarioCase.stalledProxy && !c.invalid) {
        expect(fullstory.requests).toHaveLength(0);
        expect(run.outputs.result).toBe('error');
      }
    });
    try {
      await fc.assert(property, { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: !SHRINK });
    } catch (error) {
      const message = (error as Error).message;
      const path = /path: "([^"]*)"/.exec(message)?.[1] ?? '';
      throw new Error(
        `Replay: FUZZ_SEED=${SEED} FUZZ_PATH=${path} FUZZ_RUNS=1 npm run fuzz (FUZZ_SHRINK=1 to shrink)\n${message}`,
        {
          cause: error
        }
      );
    }
  },
  RUNS * 6000 + 30_000
);
