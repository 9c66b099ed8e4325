// The CLI bundle as a person runs it: the key from the environment, from a pipe, or typed at a
// hidden prompt on a real terminal (a pseudo-terminal from util-linux `script`).

import { expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulator } from './helpers/emulator.js';
import { ROOT, node24 } from './helpers/run-action.js';
import { KEY, keyPiecesIn } from './helpers/assertions.js';
import { ECHOES } from '../emulator/fullstory-emulator.mjs';
import { CLI, cli } from './helpers/run-cli.js';
import { describeWith, itWith, node22 } from './helpers/runtimes.js';

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

describeWith({ node24: true, commands: ['script'] }, 'the key', () => {
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
});

describeWith({ node24: true }, 'the bundle where it runs', () => {
  itWith({ node22: true }, "runs on Node 22, the oldest Node that package.json's engines admit", async () => {
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(Number(/^>=(\d+)$/.exec(engines)?.[1])).toBe(22);
    const node = node22()!;
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' })).toMatch(/^v22\./);
    const run = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER }, node });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
  itWith({ linux: true }, 'output that cannot be written (a full disk) ends with 4, at once', async () => {
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

  it('a key the server echoes in every honest form reaches neither the table, the JSON, nor stderr', async () => {
    for (const json of [[], ['--json']]) {
      fullstory.script({ status: 200, body: { role: ECHOES.join(' '), orgId: ECHOES.join('|'), email: '' } });
      const run = await cli(['--expected-level', 'standard', ...json, ...url()], {
        env: { FULLSTORY_API_KEY: KEY.USER }
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('[redacted: na1 …0001]');
      expect(keyPiecesIn(run.stdout + run.stderr, KEY.USER)).toEqual([]);
    }
    fullstory.script({ status: 401, body: { message: ECHOES.join(' ') } });
    const rejected = await cli(['--expected-level', 'standard', ...url()], { env: { FULLSTORY_API_KEY: KEY.USER } });
    expect(rejected.code).toBe(3);
    expect(keyPiecesIn(rejected.stdout + rejected.stderr, KEY.USER)).toEqual([]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130]
  ] as const)(
    'stopped by %s while it waits: exit %i after a last line, not death by the signal',
    async (signal, code) => {
      fullstory.script({ hang: true });
      const child = spawn(node24(), [CLI, '--expected-level', 'standard', ...url()], {
        env: { PATH: process.env.PATH ?? '', FULLSTORY_API_KEY: KEY.USER },
        stdio: ['ignore', 'pipe', 'pipe']
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      // Once the request is in: the check is under way.
      while (fullstory.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill(signal);
      const [exit, killedBy] = await new Promise<[number | null, string | null]>((resolve) =>
        child.on('close', (status, by) => resolve([status, by]))
      );
      expect({ exit, killedBy }).toEqual({ exit: code, killedBy: null });
      expect(stderr).toBe(`fullstory-key-check: stopped by ${signal}, so the key is not verified.\n`);
    }
  );
});
