// The promises every end-to-end run is held to.

import { expect } from '@jest/globals';
import { decodeHTML } from 'entities';
import { DEMO_KEYS } from '../../emulator/fullstory-emulator.mjs';
import { withoutMaskCommand, type ActionRun } from './run-action.js';

export const KEY = {
  USER: 'na1.q7ZpL2mRv9TbK4wYc8NdF3hJ6sG0001',
  ARCHITECT: 'na1.x4Hs9Kd2Wq7Lm3Zt8Rp5Vn1Cb6Yj0002',
  ADMIN: 'eu1.t6Gw1Qz8Mx3Pk9Df5Jr2Hv7Ls4Nb0003'
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
 * Text as a reader finds it: HTML entities, Markdown backslash escapes, JSON \u escapes and
 * percent-encoding decoded, and what shows as nothing dropped, so that a key spelled `na1&#46;x`,
 * `na1\.x`, `na1%2Ex` or with U+0085 between its letters is still found.
 */
export function decoded(text: string): string {
  return (
    decodeHTML(text.replace(/\\([!-/:-@[-`{-~])/g, '$1'))
      .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .normalize('NFKC')
      // eslint-disable-next-line no-control-regex -- control characters are what a reader drops
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
  );
}

/** Every piece of `key` at least `length` long that appears in `text`, raw or decoded. */
export function keyPiecesIn(text: string, key: string, length = 8): string[] {
  const found = new Set<string>();
  const reading = decoded(text);
  // As it is, as a reader decodes it, spelled out letter by letter, and as base64.
  for (const form of [text, reading, reading.replace(/\s/g, '')]) {
    for (const spelled of [key, Buffer.from(key).toString('base64').slice(0, -4)]) {
      for (let i = 0; i + length <= spelled.length; i += 1) {
        const piece = spelled.slice(i, i + length);
        if (form.includes(piece)) found.add(piece);
      }
    }
  }
  return [...found];
}
