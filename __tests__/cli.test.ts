// The CLI's main (cli.ts) in this process: options, where the key comes from, every exit code, the
// table and --json, against the emulator on loopback. The bundle on a real terminal, under signals
// and on the oldest Node it claims is in cli.e2e.test.ts.

import { afterEach, describe, expect, it } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { main, type Io } from '../src/cli.js';
import { secrets } from '../src/redact.js';
import { VERSION } from '../src/version.js';
import { useEmulator } from './helpers/emulator.js';
import { KEY, keyPiecesIn } from './helpers/assertions.js';

const fullstory = useEmulator();
afterEach(() => secrets.clear());

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it. */
function sink(isTTY = false): Writable & { text: string; isTTY: boolean } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stream.text += chunk.toString();
      done();
    }
  }) as Writable & { text: string; isTTY: boolean };
  stream.text = '';
  stream.isTTY = isTTY;
  return stream;
}

async function cli(
  argv: string[],
  options: {
    env?: Record<string, string>;
    stdin?: string;
    tty?: { typed: string };
    colour?: boolean;
  } = {}
): Promise<Ran> {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (on: boolean) => void };
  const raw: boolean[] = [];
  if (options.tty) {
    stdin.isTTY = true;
    stdin.setRawMode = (on) => void raw.push(on);
    // Typed once the prompt shows: echo is off by then.
    setImmediate(() => stdin.write(options.tty!.typed));
  } else {
    stdin.end(options.stdin ?? '');
  }
  const stdout = sink(options.colour ?? false);
  const stderr = sink();
  const code = await main({
    argv,
    env: options.env ?? {},
    stdin: stdin as unknown as Io['stdin'],
    stdout: stdout as unknown as Io['stdout'],
    stderr: stderr as unknown as Io['stderr']
  });
  if (options.tty) expect(raw).toEqual([true, false]);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const url = () => ['--api-url', fullstory.url];
const withKey = (key: string) => ({ env: { FULLSTORY_API_KEY: key } });

describe('where the key comes from', () => {
  it('FULLSTORY_API_KEY: the table, exit 0, sent as Basic {key}', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()], withKey(KEY.USER));
    expect(ran).toEqual({
      code: 0,
      stdout:
        'Key        Org         Role  Level     Expected          Verdict\nna1 …0001  o-DEMO-na1  USER  standard  standard (exact)  ✅ match\n',
      stderr: ''
    });
    expect(fullstory.requests[0]!.headers.authorization).toBe(`Basic ${KEY.USER}`);
  });

  it('standard input, trimmed', async () => {
    const ran = await cli(['--expected-level', 'admin', ...url()], { stdin: `  ${KEY.ADMIN}\n` });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('eu1 …0003');
  });

  it('a hidden prompt on a terminal, echo off before the prompt and back on after', async () => {
    const ran = await cli(['--expected-level', 'architect', ...url()], { tty: { typed: `${KEY.ARCHITECT}\r` } });
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe('Fullstory API key (input hidden): \n');
    expect(keyPiecesIn(ran.stdout + ran.stderr, KEY.ARCHITECT)).toEqual([]);
  });

  it('Ctrl-C at the prompt: 130, nothing sent', async () => {
    const ran = await cli(['--expected-level', 'architect', ...url()], { tty: { typed: 'na1.abc\u0003' } });
    expect(ran.code).toBe(130);
    expect(fullstory.requests).toEqual([]);
  });

  it('backspace at the prompt takes back a character', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()], { tty: { typed: `${KEY.USER}X\u007f\n` } });
    expect(ran.code).toBe(0);
  });

  it('no key at all: a usage error that says where a key may come from', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(
      'fullstory-key-check: No key: set FULLSTORY_API_KEY, or pipe the key on standard input, or run on a terminal to be prompted.\nSee fullstory-key-check --help.\n'
    );
  });

  it('standard input larger than any key is refused, unread', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()], { stdin: 'x'.repeat(70 * 1024) });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Standard input is larger than any key');
  });
});

describe('options', () => {
  it.each([['--api-key=na1.abc'], ['--apikey'], ['--API_KEY'], ['-key'], ['--key=x']])(
    'refuses the key as an argument (%s), and never echoes it',
    async (arg) => {
      const ran = await cli(['--expected-level', 'standard', arg]);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toMatch(
        /^fullstory-key-check: --api-key is not accepted: arguments are kept in shell history/
      );
      expect(ran.stderr).not.toContain(arg.split('=')[1] ?? '\0');
    }
  );

  it('an unknown option gets a did-you-mean', async () => {
    const ran = await cli(['--expected-levl', 'standard']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("Unknown option '--expected-levl'. Did you mean --expected-level?");
  });

  it('an unknown option that may be a key, or an argument, is never shown', async () => {
    for (const argv of [[`--${KEY.USER}`], [KEY.USER]]) {
      const ran = await cli(['--expected-level', 'standard', ...argv]);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain('(not shown: it may be a key)');
      expect(keyPiecesIn(ran.stderr, KEY.USER)).toEqual([]);
    }
  });

  it('--expected-level is required', async () => {
    const ran = await cli([], withKey(KEY.USER));
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('--expected-level is required (standard, architect or admin).');
  });

  it('an option value that is not valid is named as the option', async () => {
    const ran = await cli(['--expected-level', 'standard', '--match', 'atleast', ...url()], withKey(KEY.USER));
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('--match "atleast" is not valid. Did you mean at-least? Use exact or at-least.');
  });

  it('--help and --version print and exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: fullstory-key-check --expected-level LEVEL/);
    const version = await cli(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('verdicts and exit codes', () => {
  it('1 for a key that works but does not match, with what to do', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()], withKey(KEY.ADMIN));
    expect(ran.code).toBe(1);
    expect(ran.stdout.split('\n').slice(2, 4)).toEqual([
      '- expected exactly Standard (role USER), but the key is Admin (role ADMIN)',
      'Create a key of level Standard under Settings > Integrations > API Keys and use the new key.'
    ]);
  });

  it('3 for a key Fullstory rejects', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()], withKey('na1.Rv8Kq2Zx5Wm000000000000000099'));
    expect(ran.code).toBe(3);
    expect(ran.stdout).toContain('❌ invalid key');
  });

  it('4 when the key could not be verified in time', async () => {
    fullstory.script({ hang: true });
    const ran = await cli(['--expected-level', 'standard', '--timeout-seconds', '0.2', ...url()], withKey(KEY.USER));
    expect(ran.code).toBe(4);
    // Options, not inputs: the CLI's own words for the same settings.
    expect(ran.stdout.split('\n').slice(2, 4)).toEqual([
      '- Could not verify the key: no answer within --timeout-seconds (0.2 s, 1 attempt).',
      'Raise --timeout-seconds (now 0.2 s) if answers are slow to come (through a proxy, say), or check the network between this machine and --api-url.'
    ]);
  });

  it('--json: one object, the key by realm and suffix, no email', async () => {
    const ran = await cli(
      ['--expected-level', 'architect', '--match', 'at-least', '--json', ...url()],
      withKey(KEY.ADMIN)
    );
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({
      result: 'match',
      matches: true,
      key: 'eu1 …0003',
      role: 'ADMIN',
      level: 'admin',
      'org-id': 'o-DEMO-eu1',
      expected: { level: 'architect', match: 'at-least', 'org-id': null },
      'over-privileged': true,
      problems: [],
      advice: expect.stringContaining('least privilege') as unknown as string
    });
    expect(ran.stdout).not.toContain('@example.com');
  });

  it('colour only on a terminal, and never with NO_COLOR', async () => {
    const coloured = await cli(['--expected-level', 'standard', ...url()], { ...withKey(KEY.USER), colour: true });
    expect(coloured.stdout).toContain('\u001b[32m');
    const plain = await cli(['--expected-level', 'standard', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER, NO_COLOR: '1' },
      colour: true
    });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

describe('the key, refused where it should not be', () => {
  it('is never taken from an argument, and the refusal says why', async () => {
    // Near misses too: as unknown options they would be told "did you mean --api-url?".
    for (const args of [
      ['--api-key', KEY.USER],
      [`--api-key=${KEY.USER}`],
      [`--API-KEY=${KEY.USER}`],
      ['--apikey', KEY.USER],
      ['--api_key', KEY.USER],
      ['--key', KEY.USER]
    ]) {
      const run = await cli(['--expected-level', 'standard', ...args, ...url()]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /--api-key is not accepted: arguments are kept in shell history and shown in process lists/
      );
      expect(run.stderr).not.toContain('--api-url');
      expect(run.stderr + run.stdout).not.toContain(KEY.USER);
    }
    expect(fullstory.requests).toHaveLength(0);
  });

  it('pasted as an argument, is never echoed in the refusal', async () => {
    for (const args of [[KEY.USER], ['--expected-level', 'standard', KEY.USER], [`--${KEY.USER}`], ['-x', KEY.ADMIN]]) {
      const run = await cli([...args, ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^fullstory-key-check: (this command takes options only|Unknown option)/);
      expect(run.stderr).not.toMatch(/fullstory-key-check: fullstory-key-check/);
      expect(keyPiecesIn(run.stderr + run.stdout, KEY.USER)).toEqual([]);
      expect(keyPiecesIn(run.stderr + run.stdout, KEY.ADMIN)).toEqual([]);
    }
    expect(fullstory.requests).toHaveLength(0);
  });

  it.each([
    ['FULLSTORY_API_KEY', { env: { FULLSTORY_API_KEY: 'architect' } }],
    ['the key on standard input', { stdin: 'standard\n' }]
  ])('a level word in %s is refused as no key, and garbles no message by being masked', async (source, options) => {
    const run = await cli(['--expected-level', 'admn', ...url()], options);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${source} holds a permission level, not a key: give the key itself there, and the level it must have in --expected-level.`
    );
    expect(run.stderr).toContain('Use one of standard, architect, admin');
    expect(run.stderr).not.toContain('[redacted');
    expect(fullstory.requests).toHaveLength(0);
  });

  it('pasted as an option value, is never echoed in the refusal', async () => {
    const run = await cli(['--expected-level', 'standard', `--timeout-seconds=${KEY.USER}`, ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER }
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--timeout-seconds \(not shown: it looks like a key\) is not valid/);
    expect(keyPiecesIn(run.stderr, KEY.USER)).toEqual([]);
  });

  it.each([
    [
      'FULLSTORY_API_KEY',
      { env: { FULLSTORY_API_KEY: 'na1.half one' } },
      /^fullstory-key-check: FULLSTORY_API_KEY contains spaces/
    ],
    ['standard input', { stdin: 'na1.half one\n' }, /^fullstory-key-check: the key on standard input contains spaces/]
  ])('malformed in %s, is blamed on where it came from, not on --api-key', async (_where, options, message) => {
    const run = await cli(['--expected-level', 'standard', ...url()], options);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('--api-key');
    expect(run.stderr).not.toContain('half one');
    expect(fullstory.requests).toHaveLength(0);
  });

  it('missing altogether is a usage error', async () => {
    const run = await cli(['--expected-level', 'standard', ...url()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No key: set FULLSTORY_API_KEY, or pipe the key on standard input/);
  });
});

describe('exit codes and output', () => {
  it.each([
    ['match', 0, KEY.USER, ['--expected-level', 'standard']],
    ['mismatch', 1, KEY.ADMIN, ['--expected-level', 'standard']],
    ['at-least', 0, KEY.ADMIN, ['--expected-level', 'standard', '--match', 'at-least']],
    ['org mismatch', 1, KEY.USER, ['--expected-level', 'standard', '--expected-org-id', 'o-PROD']],
    ['invalid key', 3, 'na1.Rv8Kq2Zx5Wm00000000000000000', ['--expected-level', 'standard']]
  ])('%s → %i', async (_what, code, key, args) => {
    const run = await cli([...args, ...url()], { env: { FULLSTORY_API_KEY: key } });
    expect(run.code).toBe(code);
    expect(run.stdout).not.toContain(key);
  });
  it('says when at-least passes a key with more privilege than asked for, as the action warns', async () => {
    const run = await cli(['--expected-level', 'standard', '--match', 'at-least', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.ADMIN }
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(1)).toEqual([
      'eu1 …0003  o-DEMO-eu1  ADMIN  admin  standard (at-least)  ⚠️ match (over-privileged)',
      'The key has more privilege than this check asks for (at least Standard (role USER)). If nothing needs it, create a key of level Standard under Settings > Integrations > API Keys and use the new key (least privilege).',
      ''
    ]);
    const json = await cli(['--expected-level', 'standard', '--match', 'at-least', '--json', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.ADMIN }
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      result: 'match',
      'over-privileged': true,
      advice: expect.stringMatching(/^The key has more privilege than this check asks for/)
    });
  });
  it('advises the org, not the level, when only the org is wrong', async () => {
    const run = await cli(['--expected-level', 'standard', '--expected-org-id', 'o-PROD-na1', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER }
    });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(2, 4)).toEqual([
      '- expected org "o-PROD-na1", but the key belongs to org "o-DEMO-na1"',
      'The key\'s level is right but it is from another org: create one in org "o-PROD-na1" (signed in to that org, under Settings > Integrations > API Keys) and use the new key, or, if org "o-DEMO-na1" is the one this check should expect, change the expected org id.'
    ]);
  });
  it('could not verify → 4', async () => {
    fullstory.script({ status: 503 }, { status: 503 });
    const run = await cli(['--expected-level', 'standard', '--max-attempts', '2', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER }
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(
      /❌ could not verify\n- Could not verify the key after 2 attempts: Fullstory answered HTTP 503/
    );
  });
  it.each([
    [['--expected-level', 'owner'], /--expected-level "owner" is not valid/],
    [['--expected-level', 'standard', '--timeout-seconds', '0'], /--timeout-seconds "0" is not valid/],
    [['--expected-level', 'standard', '--api-url', 'http://example.com'], /--api-url .* is not allowed/],
    [['--expected-level', 'standard', '--verbose'], /Unknown option '--verbose'/],
    [['--match', 'exact'], /--expected-level is required/],
    [['--expected-level', 'standrad'], /--expected-level "standrad" is not valid\. Did you mean standard\? Use one of/],
    [
      ['--expected-level', 'standard', '--match', 'atleast'],
      /--match "atleast" is not valid\. Did you mean at-least\?/
    ],
    [['--expected-lvl', 'standard'], /Unknown option '--expected-lvl'\. Did you mean --expected-level\?/],
    [['--expected-level', 'standard', '--jsno'], /Unknown option '--jsno'\. Did you mean --json\?/]
  ])('usage error %j → 2, on stderr', async (args, message) => {
    const run = await cli(args.includes('--api-url') ? args : [...args, ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER }
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('See fullstory-key-check --help.');
    expect(run.stdout).toBe('');
  });
  it('--json prints one JSON object, without the key or the creator’s email', async () => {
    const run = await cli(['--expected-level', 'standard', '--json', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.ADMIN }
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      result: 'mismatch',
      matches: false,
      key: 'eu1 …0003',
      role: 'ADMIN',
      level: 'admin',
      'org-id': 'o-DEMO-eu1',
      expected: { level: 'standard', match: 'exact', 'org-id': null },
      'over-privileged': false,
      problems: ['expected exactly Standard (role USER), but the key is Admin (role ADMIN)'],
      advice: 'Create a key of level Standard under Settings > Integrations > API Keys and use the new key.'
    });
    expect(run.stdout).not.toMatch(/@example\.com/);
  });
  it('--help documents the options and every exit code', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const text of [
      '--expected-level',
      '--match',
      '--expected-org-id',
      '--api-url',
      '--timeout-seconds',
      '--json',
      'NO_COLOR',
      'FULLSTORY_API_KEY'
    ]) {
      expect(run.stdout).toContain(text);
    }
    for (const code of [0, 1, 2, 3, 4]) expect(run.stdout).toMatch(new RegExp(`^  ${code}  `, 'm'));
  });
  it('a key the server echoes reaches neither the table, nor the JSON, nor stderr', async () => {
    const echo = { role: '{{key}}', orgId: 'o-{{key:first-half}}', email: '{{key:no-realm}}' };
    for (const json of [[], ['--json']]) {
      fullstory.script({ status: 200, body: echo });
      const table = await cli(['--expected-level', 'standard', ...json, ...url()], {
        env: { FULLSTORY_API_KEY: KEY.USER }
      });
      expect(table.code).toBe(1);
      expect(table.stdout).toContain('[redacted: na1 …0001]');
      expect(keyPiecesIn(table.stdout + table.stderr, KEY.USER)).toEqual([]);
    }
    fullstory.script({ status: 200, body: { role: '{{key:json}}', orgId: '{{key:entities}}', email: '' } });
    const spread = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
    expect(keyPiecesIn(spread.stdout, KEY.USER)).toEqual([]);
    fullstory.script({ status: 401, body: { message: 'no such key: {{authorization}}' } });
    const rejected = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
    expect(rejected.code).toBe(3);
    expect(keyPiecesIn(rejected.stdout + rejected.stderr, KEY.USER)).toEqual([]);
  });
  it('C1 controls and bidirectional overrides never reach the terminal: escaped in the table and in --json', async () => {
    const role = 'US\u0085ER\u009b2J\u202eNIMDA\u2066';
    fullstory.script({ status: 200, body: `{"role":"${role}","orgId":"o-1","email":""}` });
    const table = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
    // Escaped, not stripped: stripped, "US\u0085ER" would pass for USER. Read, never obeyed.
    const escaped = '"US\\u0085ER\\u009b2J\\u202eNIMDA\\u2066"';
    expect(table.stdout.split('\n')[1]!.split(/ {2,}/)).toEqual([
      'na1 …0001',
      'o-1',
      escaped,
      'unknown',
      'standard (exact)',
      '❌ mismatch'
    ]);
    expect(table.stdout).toContain(`the key's role is ${escaped}`);
    fullstory.script({ status: 200, body: `{"role":"${role}","orgId":"o-1","email":""}` });
    const json = await cli(['--expected-level', 'standard', '--json', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER }
    });
    for (const run of [table, json]) expect(run.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(json.stdout).toContain('"role":"US\\u0085ER\\u009b2J\\u202eNIMDA\\u2066"');
    expect((JSON.parse(json.stdout) as { role: string }).role).toBe('US\u0085ER\u009b2J\u202eNIMDA\u2066');
  });
  it('escape sequences from the API never reach the terminal', async () => {
    fullstory.script({
      status: 200,
      body: { role: 'USER\u001b[2J\u001b]0;pwned\u0007', orgId: 'o\u001b[31m', email: '' }
    });
    const run = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u0007');
  });
});

describe('what the CLI refuses to send', () => {
  it('a GitHub token, by shape or as GITHUB_TOKEN/GH_TOKEN of the environment, never quoted', async () => {
    const envs: Record<string, string>[] = [
      { FULLSTORY_API_KEY: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      { FULLSTORY_API_KEY: 'v1.0123456789abcdef0123456789abcdef', GH_TOKEN: 'v1.0123456789abcdef0123456789abcdef' }
    ];
    for (const env of envs) {
      const ran = await cli(['--expected-level', 'standard', ...url()], { env });
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain(
        'FULLSTORY_API_KEY holds a GitHub token, not a Fullstory API key, and a GitHub token is never sent to Fullstory. Give the Fullstory key instead.'
      );
      expect(ran.stderr).not.toMatch(/secret/);
      expect(ran.stderr).not.toContain(env.FULLSTORY_API_KEY!.slice(4, 12));
    }
    expect(fullstory.requests).toEqual([]);
  });

  it('anything over TLS that does not verify, with NODE_TLS_REJECT_UNAUTHORIZED=0 ignored and said so', async () => {
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    try {
      const ran = await cli(['--expected-level', 'standard', '--api-url', 'https://127.0.0.1:9'], {
        env: { FULLSTORY_API_KEY: KEY.USER, NODE_TLS_REJECT_UNAUTHORIZED: '0' }
      });
      expect(ran.stderr).toMatch(
        /^fullstory-key-check: warning: NODE_TLS_REJECT_UNAUTHORIZED=0 is set and is ignored here/
      );
      expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
    }
  });
});

describe('the CLI speaks CLI (issue 21)', () => {
  /** Words of the action that have no place in a terminal: inputs, secrets, jobs, runners. */
  const ACTION_WORDS =
    /secret|re-run the job|the runner|(?<![\w-])(api-url|timeout-seconds|max-attempts|expected-level|expected-org-id)(?![\w-])/;

  it.each([
    ['--orgid', '--expected-org-id'],
    ['--org-id', '--expected-org-id'],
    ['--org_id', '--expected-org-id'],
    ['--level', '--expected-level'],
    ['--timeout', '--timeout-seconds'],
    ['--attempts', '--max-attempts']
  ])('%s gets a did-you-mean: %s', async (typed, meant) => {
    const ran = await cli(['--expected-level', 'standard', typed, 'x', ...url()], withKey(KEY.USER));
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(
      `fullstory-key-check: Unknown option '${typed}'. Did you mean ${meant}?\nSee fullstory-key-check --help.\n`
    );
  });

  it('an argument that is no option: one tool name, and the key never shown', async () => {
    const ran = await cli(['--expected-level', 'standard', KEY.USER, ...url()]);
    expect(ran.stderr).toBe(
      'fullstory-key-check: this command takes options only, and was given an argument that is none (not shown: it may be a key). Give the key in FULLSTORY_API_KEY or on standard input.\nSee fullstory-key-check --help.\n'
    );
  });

  it.each([
    [
      'a key Fullstory rejects, from FULLSTORY_API_KEY',
      { status: 401, body: { message: 'nope' } },
      withKey(KEY.USER),
      [],
      3,
      'Check the value of FULLSTORY_API_KEY, or create a new key under Settings > Integrations > API Keys.'
    ],
    [
      'a key Fullstory rejects, from standard input',
      { status: 401, body: { message: 'nope' } },
      { stdin: KEY.USER },
      [],
      3,
      'Check the key on standard input, or create a new key under Settings > Integrations > API Keys.'
    ],
    [
      'a 404',
      { status: 404 },
      withKey(KEY.USER),
      [],
      4,
      "--api-url is not Fullstory's API: set it to the API's base URL, https://api.fullstory.com (or your proxy's URL for it), without /me or a version path. A re-run will not help."
    ],
    [
      'a Retry-After beyond the budget',
      { status: 429, headers: { 'retry-after': '60' } },
      withKey(KEY.USER),
      [],
      4,
      'Raise --timeout-seconds from 30 to at least 70 so that the wait fits, or run the check again after 60 s, once the limit has passed.'
    ],
    [
      'server errors',
      { status: 503 },
      withKey(KEY.USER),
      ['--max-attempts', '1'],
      4,
      "Fullstory's server errors usually pass: run the check again later. For a scheduled check, raise --max-attempts (now 1) to ride such failures out."
    ]
  ] as const)('%s: what to do, in options and the key’s source', async (_what, answer, options, extra, code, said) => {
    fullstory.script(answer);
    const ran = await cli(['--expected-level', 'standard', ...extra, ...url()], options);
    expect(ran.code).toBe(code);
    expect(ran.stdout.split('\n').at(-2)).toBe(said);
    expect(ran.stdout + ran.stderr).not.toMatch(ACTION_WORDS);
    // The same advice in --json.
    fullstory.script(answer);
    const json = await cli(['--expected-level', 'standard', '--json', ...extra, ...url()], options);
    expect((JSON.parse(json.stdout) as { advice: string }).advice).toBe(said);
  });

  it('a key wrapped in quotes is named, and not sent', async () => {
    const ran = await cli(['--expected-level', 'standard', ...url()], withKey(`"${KEY.USER}"`));
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(
      'fullstory-key-check: FULLSTORY_API_KEY is wrapped in quotes, which are no part of a key, so it was not sent. Set it to the key alone, without the quotes.\nSee fullstory-key-check --help.\n'
    );
    expect(fullstory.requests).toEqual([]);
  });

  it('--json spells the org field as the action’s results do: org-id', async () => {
    const ran = await cli(
      ['--expected-level', 'standard', '--expected-org-id', 'o-DEMO-na1', '--json', ...url()],
      withKey(KEY.USER)
    );
    const json = JSON.parse(ran.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ 'org-id': 'o-DEMO-na1', expected: { 'org-id': 'o-DEMO-na1' } });
    expect(ran.stdout).not.toMatch(/orgId|overPrivileged/);
  });

  it('--help shows npx, and the JSON fields by name', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toContain('npx fullstory-key-check --expected-level standard');
    expect(help.stdout).toMatch(
      /result, matches, key, role, level, org-id,\s+expected, over-privileged, problems, advice/
    );
  });
});
