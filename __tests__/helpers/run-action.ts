// Runs the committed bundle as GitHub's runner does: a child process on Node 24, inputs as
// INPUT_<NAME> with action.yml's defaults filled in, and the GITHUB_* command files.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './action-yml.js';
import { parseOutputs, runnerFiles, type ActionRun } from './action-run.js';
import { node24 as findNode24 } from './runtimes.js';

export { FAKE_GITHUB_TOKEN, ROOT, actionYml } from './action-yml.js';
export { annotations, parseOutputs, withoutMaskCommand, type ActionRun } from './action-run.js';
export const BUNDLE = join(ROOT, 'dist', 'index.js');

/** The Node that GitHub runs `using: node24` actions on (helpers/runtimes.ts; describeWith skips without it). */
export function node24(): string {
  const binary = findNode24();
  if (binary === undefined) {
    throw new Error(
      'No Node 24 binary: run `node script/node-runtime.mjs 24` (`npm test` does), run the tests under Node 24, or set FKC_NODE24.'
    );
  }
  return binary;
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
    /** Another copy of the bundle to run. */
    bundle?: string;
    /**
     * GITHUB_OUTPUT on a tmpfs of its own this size, with only `freeKiB` of it left free (Linux
     * `unshare -rm`): a runner's disk that fills while the outputs are written.
     */
    outputsOnFullDisk?: { sizeKiB: number; freeKiB: number };
  } = {}
): Promise<ActionRun> {
  const { dir, files, env: given } = runnerFiles(inputs);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...given };
  if (options.summaryFile !== undefined) {
    if (options.summaryFile === null) delete (env as Partial<typeof env>).GITHUB_STEP_SUMMARY;
    else env.GITHUB_STEP_SUMMARY = options.summaryFile;
  }
  Object.assign(env, options.env);

  const started = performance.now();
  let argv = [node24(), options.bundle ?? BUNDLE];
  if (options.hosts) {
    const hostsFile = join(dir, 'hosts');
    const lines = Object.entries({ localhost: '127.0.0.1', ...options.hosts }).map(
      ([name, address]) => `${address} ${name}`
    );
    writeFileSync(hostsFile, `${lines.join('\n')}\n`);
    // bash, not sh: dash drops variables such as INPUT_API-KEY whose names are not identifiers.
    argv = ['unshare', '-rm', 'bash', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, ...argv];
  }
  if (options.outputsOnFullDisk) {
    const { sizeKiB, freeKiB } = options.outputsOnFullDisk;
    const mount = join(dir, 'disk');
    mkdirSync(mount);
    env.GITHUB_OUTPUT = join(mount, 'output');
    // The tmpfs ends with the namespace: what the action wrote is copied out before it does.
    const script = [
      `mount -t tmpfs -o size=${sizeKiB}k tmpfs "$0"`,
      `head -c ${(sizeKiB - freeKiB) * 1024} /dev/zero > "$0/filler" 2>/dev/null`,
      ': > "$0/output"',
      '"$@"',
      'code=$?',
      `cp "$0/output" "${files.GITHUB_OUTPUT}"`,
      'exit $code'
    ].join('; ');
    argv = ['unshare', '-rm', 'bash', '-c', script, mount, ...argv];
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
