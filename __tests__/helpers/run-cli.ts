// Runs the committed CLI bundle as a person or another CI system does: a child process on Node 24
// (or on another Node, given).

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, node24 } from './run-action.js';

/** The CLI package's bundle (cli/, published to npm as fullstory-key-check). */
export const CLI = join(ROOT, 'cli', 'dist', 'index.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function cli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; node?: string } = {}
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(options.node ?? node24(), [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }))
  );
}
