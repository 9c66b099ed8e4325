// The promises every end-to-end run is held to.

import { expect } from '@jest/globals';
import { decodeHTML } from 'entities';
import { DEMO_KEYS } from '../../emulator/fullstory-emulator.mjs';
import { withoutMaskCommand, type ActionRun } from './run-action.js';

export const KEY = {
  USER: 'na1.demoStandardKey0000000000000000000000001',
  ARCHITECT: 'na1.demoDesignerKey0000000000000000000000002',
  ADMIN: 'eu1.demoAdminKey000000000000000000000000003'
} as const;
export const identity = (key: string) => DEMO_KEYS[key as keyof typeof DEMO_KEYS];

/** The same scripted behaviour for the next `n` requests. */
export const repeat = <T>(n: number, behaviour: T): T[] => Array.from({ length: n }, () => behaviour);
const DEMO_EMAILS = Object.values(DEMO_KEYS).map((id) => id.email);

/**
 * No leak: the key appears nowhere but the command that masks it, no creator's email appears
 * anywhere but the `email` output, and nothing prints a stack trace.
 */
export function expectNoLeak(run: ActionRun, key: string, emails: readonly string[] = DEMO_EMAILS): void {
  const others = Object.entries(run.outputs).filter(([name]) => name !== 'email');
  const channels = [withoutMaskCommand(run.stdout), run.stderr, run.summary, JSON.stringify(others)].join('\n');
  expect(channels).not.toContain(key);
  for (const address of emails) expect(channels).not.toContain(address);
  expect(run.everything.split(key).length - 1).toBe(run.stdout.includes(`::add-mask::${key}`) ? 1 : 0);
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).toBe('');
}

/** Exit code and `result` agree: 0 only for a match, or a mismatch allowed by fail-on-mismatch. */
export function expectVerdict(run: ActionRun, result: string, code: number): void {
  expect({ result: run.outputs.result, code: run.code }).toEqual({ result, code });
  expect(run.outputs.matches).toBe(String(result === 'match'));
}

/**
 * Text as a reader finds it: HTML entities and Markdown backslash escapes decoded, so that a key
 * spelled `na1&#46;x` or `na1\.x` is still found.
 */
export function decoded(text: string): string {
  return decodeHTML(text.replace(/\\([!-/:-@[-`{-~])/g, '$1'));
}

/** Every piece of `key` at least `length` long that appears in `text`, raw or decoded. */
export function keyPiecesIn(text: string, key: string, length = 8): string[] {
  const found = new Set<string>();
  for (const form of [text, decoded(text)]) {
    for (let i = 0; i + length <= key.length; i += 1) {
      const piece = key.slice(i, i + length);
      if (form.includes(piece)) found.add(piece);
    }
  }
  return [...found];
}
