// The runner, as the action talks to it: the few @actions/core functions it uses, behind one
// interface, so that main.ts's orchestration runs in a test's process against a recording runner,
// and on GitHub (or under @github/local-action, which swaps @actions/core) against the real one.

import { randomUUID } from 'node:crypto';
import { appendFile, appendFileSync, statSync, truncateSync } from 'node:fs';
import { EOL } from 'node:os';
import * as core from '@actions/core';
import type { Environment } from './inputs.js';

export interface Runner {
  getInput(name: string): string;
  setSecret(secret: string): void;
  /**
   * Sets these outputs together: a write that fails part-way (a disk that fills) leaves none of
   * them behind, and throws.
   */
  setOutputs(outputs: readonly (readonly [string, string])[]): void;
  debug(text: string): void;
  info(text: string): void;
  warning(text: string, properties?: { title?: string }): void;
  error(text: string, properties?: { title?: string }): void;
  /** Appends Markdown to the job summary; does nothing where the runner keeps none. */
  appendSummary(markdown: string): Promise<void>;
  /** Whether outputs go to a file (GITHUB_OUTPUT) rather than into the log as a command. */
  readonly outputsArePrivate: boolean;
  /** The step fails. */
  fail(): void;
}

export function coreRunner(env: Environment = process.env): Runner {
  return {
    getInput: (name) => core.getInput(name),
    setSecret: (secret) => core.setSecret(secret),
    setOutputs(outputs) {
      if (!env.GITHUB_OUTPUT) {
        for (const [name, value] of outputs) core.setOutput(name, value);
        return;
      }
      const text = outputs.map(([name, value]) => {
        const delimiter = `ghadelimiter_${randomUUID()}`;
        return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
      });
      // A write that fails may have written part of the text: it is taken back, which needs no room.
      const before = statSync(env.GITHUB_OUTPUT).size;
      try {
        appendFileSync(env.GITHUB_OUTPUT, text.join(''), 'utf8');
      } catch (error) {
        try {
          truncateSync(env.GITHUB_OUTPUT, before);
        } catch {
          // nothing more can be done: the step fails, and says so
        }
        throw error;
      }
    },
    debug: (text) => core.debug(text),
    info: (text) => core.info(text),
    warning: (text, properties) => core.warning(text, properties),
    error: (text, properties) => core.error(text, properties),
    // What core.summary.write does, without its singleton, which keeps the first run's file path;
    // with fs's callback: fs/promises' file handle made a single-key run about 1% slower, measured
    // side by side over 60 runs.
    async appendSummary(markdown) {
      const file = env.GITHUB_STEP_SUMMARY;
      if (!file) return;
      await new Promise<void>((resolve, reject) =>
        appendFile(file, `${markdown}\n`, (error) => (error ? reject(error) : resolve()))
      );
    },
    // Without GITHUB_OUTPUT, core falls back to a ::set-output command on stdout, which is the log.
    outputsArePrivate: Boolean(env.GITHUB_OUTPUT),
    // The exit code, rather than core.setFailed or core.ExitCode, which @github/local-action's
    // stand-in for @actions/core lacks or keeps to itself.
    fail: () => {
      process.exitCode = 1;
    }
  };
}
