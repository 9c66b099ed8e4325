// The CLI bundle as a person runs it: the key from the environment, from a pipe, or typed at a
// hidden prompt on a real terminal (a pseudo-terminal from util-linux `script`).

import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulator } from './helpers/emulator.js';
import { ROOT, node24 } from './helpers/run-action.js';
import { KEY, keyPiecesIn } from './helpers/assertions.js';
import { CLI, cli } from './helpers/run-cli.js';

const fullstory = useEmulator();

/** Runs the CLI on a pseudo-terminal, types `typed` once the prompt shows, and returns the screen. */
function onTerminal(
  args: string[],
  typed: string,
  env: Record<string, string> = {}
): Promise<{ code: number | null; screen: string }> {
  const command = [node24(), CLI, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  });
  let screen = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
    if (!sent && screen.includes('(input hidden): ')) {
      sent = true;
      child.stdin.write(typed);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

const url = () => ['--api-url', fullstory.url];

describe('the key', () => {
  it('comes from FULLSTORY_API_KEY', async () => {
    const run = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'Key        Org         Role  Level     Expected          Verdict',
      'na1 …0001  o-DEMO-na1  USER  standard  standard (exact)  ✅ match'
    ]);
    expect(run.stderr).toBe('');
    expect(fullstory.requests[0]!.headers.authorization).toBe(`Basic ${KEY.USER}`);
  });

  it('or from standard input, trimmed', async () => {
    const run = await cli(['--expected-level', 'admin', ...url()], { stdin: `${KEY.ADMIN}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('eu1 …0003');
  });

  it('or typed at a hidden prompt on a terminal, never echoed', async () => {
    const run = await onTerminal(['--expected-level', 'architect', ...url()], `${KEY.ARCHITECT}\r`, { NO_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(run.screen).toContain('Fullstory API key (input hidden): ');
    expect(run.screen).not.toContain(KEY.ARCHITECT);
    expect(run.screen).toContain('na1 …0002  o-DEMO-na1  ARCHITECT  architect  architect (exact)  ✅ match');
    expect(run.screen).not.toContain('\u001b[');
  });

  it('Ctrl-C at the prompt exits with 130, as shells report an interrupted command', async () => {
    const run = await onTerminal(['--expected-level', 'standard', ...url()], '\u0003');
    expect(run.code).toBe(130);
    expect(fullstory.requests).toHaveLength(0);
  });

  it('a terminal gets colour, unless NO_COLOR is set', async () => {
    const coloured = await onTerminal(['--expected-level', 'admin', ...url()], `${KEY.USER}\r`);
    expect(coloured.code).toBe(1);
    // eslint-disable-next-line no-control-regex -- the colour codes are what is asserted
    expect(coloured.screen).toMatch(/\u001b\[31m.*❌ mismatch\u001b\[0m/);
    const piped = await cli(['--expected-level', 'admin', ...url()], { stdin: KEY.USER });
    expect(piped.stdout).not.toContain('\u001b[');
  });

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
      expect(run.stderr).toMatch(/^fullstory-key-check: (fullstory-key-check takes options only|Unknown option)/);
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
      `${source} holds a permission level, not a key: give the key itself there, and the level it must have in expected-level.`
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
      'The key has more privilege than this check asks for (at least Standard (role USER)). If nothing needs it, create a key of level Standard under Settings > Integrations > API Keys and update the secret (least privilege).',
      ''
    ]);
    const json = await cli(['--expected-level', 'standard', '--match', 'at-least', '--json', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.ADMIN }
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      result: 'match',
      overPrivileged: true,
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
      'The key\'s level is right but it is from another org: create one in org "o-PROD-na1" (signed in to that org, under Settings > Integrations > API Keys) and update the secret, or, if org "o-DEMO-na1" is the one this check should expect, change the expected org id.'
    ]);
  });

  it("runs on the oldest Node that package.json's engines admits, which is the Node running these tests", async () => {
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    const oldest = Number(/^>=(\d+)$/.exec(engines)?.[1]);
    // npm ci and npx warn below engines; the demo and the CLI run on this machine's Node.
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(oldest);
    const run = await cli(['--expected-level', 'standard', ...url()], {
      env: { FULLSTORY_API_KEY: KEY.USER },
      node: process.execPath
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
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
      orgId: 'o-DEMO-eu1',
      expected: { level: 'standard', match: 'exact', orgId: null },
      overPrivileged: false,
      problems: ['expected exactly Standard (role USER), but the key is Admin (role ADMIN)'],
      advice: 'Create a key of level Standard under Settings > Integrations > API Keys and update the secret.'
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
    fullstory.script({ status: 200, body: { role: '{{key:c1}}', orgId: '{{key:entities}}', email: '' } });
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

  it('output that cannot be written (a full disk) ends with 4, at once', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(node24(), [CLI, '--expected-level', 'standard', ...url()], {
        env: { PATH: process.env.PATH ?? '', FULLSTORY_API_KEY: KEY.USER },
        stdio: ['ignore', full, 'pipe']
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(4);
      expect(stderr.split('\n').length).toBeLessThan(5);
    } finally {
      closeSync(full);
    }
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
