// What the end-to-end tests need from the machine, and the describe and it that skip, with one line
// that says what and why, where it is not there: Node 24 (the action's runtime) and Node 22 (the
// oldest the CLI admits) from script/node-runtime.mjs, which `npm test` runs first and which alone
// fetches; Linux; and the commands some tests run. Each probe runs at most once in a test file
// (Jest loads this module anew for each).

import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { findNode, nodeBinary } from '../../script/node-runtime.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

/** The Node 24 the bundles run on, as GitHub's runner runs them: undefined where there is none. */
export function node24(): string | undefined {
  return nodeBinary(24);
}

/** Node 22, the oldest Node that package.json's engines admit for the CLI: undefined where there is none. */
export function node22(): string | undefined {
  return nodeBinary(22);
}

/**
 * unshare: Linux user, mount and network namespaces that an unprivileged user may make
 * (runAction's `isolatedNetwork` and `hosts`); script: util-linux's, for a pseudo-terminal; openssl: the emulator's TLS certificate
 * and the DHE server; cmark-gfm: GitHub's Markdown renderer (helpers/gfm.ts); npm: to pack and
 * install the CLI package as its users do.
 */
export type Command = 'unshare' | 'script' | 'openssl' | 'cmark-gfm' | 'npm';

export interface Requirement {
  node24?: true;
  node22?: true;
  linux?: true;
  commands?: Command[];
}

const probes = new Map<string, string | undefined>();

/** Runs `command` once in this file: undefined when it works, else why not. */
function probe(key: string, command: string, args: string[], works: (stdout: string) => boolean): string | undefined {
  if (!probes.has(key)) {
    const run = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const said = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n')[0];
    probes.set(
      key,
      run.error !== undefined
        ? `${command} is not installed`
        : run.status === 0 && works(run.stdout)
          ? undefined
          : `\`${[command, ...args].join(' ')}\` failed${said ? `: ${said}` : ''}`
    );
  }
  return probes.get(key);
}

function missingCommand(command: Command): string | undefined {
  const linux = process.platform === 'linux';
  const needs = (what: string, why: string | undefined) => (why === undefined ? undefined : `needs ${what}: ${why}`);
  switch (command) {
    case 'unshare':
      if (!linux) return 'needs Linux (unshare)';
      return needs(
        'unprivileged user namespaces (unshare)',
        probe('unshare', 'unshare', ['-rmn', 'true'], () => true)
      );
    case 'script':
      // util-linux's: BSD script (macOS) takes other options.
      if (!linux) return "needs Linux (util-linux's script, for a pseudo-terminal)";
      return needs(
        "util-linux's script, for a pseudo-terminal",
        probe('script', 'script', ['--version'], (out) => out.includes('util-linux'))
      );
    case 'openssl':
      return needs(
        'openssl',
        probe('openssl', 'openssl', ['version'], () => true)
      );
    case 'npm':
      return needs(
        'npm on the PATH',
        probe('npm', 'npm', ['--version'], () => true)
      );
    case 'cmark-gfm':
      return needs(
        "cmark-gfm, GitHub's Markdown renderer (apt-get install cmark-gfm, brew install cmark-gfm)",
        probe('cmark-gfm', 'cmark-gfm', ['--version'], () => true)
      );
  }
}

function whyNo(major: number): string {
  const found = findNode(major) as { path?: string; source?: string; reason?: string };
  if (found.path !== undefined) return `${found.source}=${found.path} is not Node ${major}`;
  return `${found.reason}: \`npm test\` fetches it where the npm registry has it; or set FKC_NODE${major}`;
}

/** Why `requirement` does not hold here, or undefined when it does. */
export function unmet(requirement: Requirement): string | undefined {
  const reasons: string[] = [];
  for (const major of [24, 22] as const) {
    if (requirement[`node${major}`] && nodeBinary(major) === undefined)
      reasons.push(`needs Node ${major} (${whyNo(major)})`);
  }
  if (requirement.linux && process.platform !== 'linux') reasons.push('needs Linux');
  for (const command of requirement.commands ?? []) {
    const reason = missingCommand(command);
    if (reason !== undefined && !reasons.includes(reason)) reasons.push(reason);
  }
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

// The lines of one test file, written together once its blocks are all declared: one line for
// each reason, naming the blocks it skips ("every test" when it skips all of them).
const declared: { name: string; reason: string | undefined }[] = [];
let flushing = false;
/** How deep in skipped blocks the declarations are: a block in one is skipped, and said, with it. */
let skippedDepth = 0;

function testFile(): string {
  const path = expect.getState().testPath;
  return path ? relative(ROOT, path).split('\\').join('/') : 'a test file';
}

function report(name: string, reason: string | undefined): void {
  if (skippedDepth > 0) return;
  declared.push({ name, reason });
  if (flushing) return;
  flushing = true;
  const file = testFile();
  queueMicrotask(() => {
    flushing = false;
    const blocks = declared.splice(0);
    const byReason = new Map<string, string[]>();
    for (const { name, reason } of blocks) {
      if (reason !== undefined) byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
    }
    for (const [reason, names] of byReason) {
      const what =
        names.length === blocks.length && names.length > 1
          ? `(every test: ${names.length} blocks)`
          : names.map((name) => `'${name}'`).join(', ');
      process.stderr.write(`skipped: ${file} ${what} ${reason}\n`);
    }
  });
}

/** `describe`, or `describe.skip` with a line saying what and why where `requirement` does not hold. */
export function describeWith(requirement: Requirement, name: string, fn: () => void): void {
  const reason = unmet(requirement);
  report(name, reason);
  if (reason === undefined) return describe(name, fn);
  describe.skip(name, () => {
    skippedDepth += 1;
    try {
      fn();
    } finally {
      skippedDepth -= 1;
    }
  });
}

/** `it`, or `it.skip` with a line saying what and why where `requirement` does not hold. */
export function itWith(
  requirement: Requirement,
  name: string,
  fn: () => Promise<unknown> | void,
  timeout?: number
): void {
  const reason = unmet(requirement);
  report(name, reason);
  if (reason === undefined) it(name, fn, timeout);
  else it.skip(name, fn, timeout);
}
