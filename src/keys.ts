// A key to check, and how every report names it: never by its value.

import type { Level } from './verdict.js';
import type { Message } from './text.js';

/** One key to check. */
export interface KeySpec {
  /**
   * How every report names the key: `api-key`, the environment variable named in `keys`, or
   * `keys line N` when that "name" is not set and looks like a key pasted in a name's place.
   */
  name: string;
  apiKey: string;
  expectedLevel: Level;
  /** The org the key must belong to: its own line's in `keys`, else `expected-org-id`; empty for any. */
  expectedOrgId: string;
  /**
   * Why this key cannot be checked at all: its variable is not set, say. A problem of the inputs,
   * not of the key or the network, so its message says what to fix; the other keys are still checked.
   */
  problem?: Message;
}

/**
 * How people recognise a key: Fullstory's settings page lists keys by a short suffix, and keys
 * since 2022 start with their realm. A short value would be half given away by 4 characters.
 */
export function describeKey(given: string): string {
  // A key saved with its quotes ("na1.…") is refused, and still known by its realm and suffix.
  const apiKey = given.replace(/^(["'`])(.*)\1$/s, '$2');
  const realm = /^(na1|eu1)/.exec(apiKey)?.[1];
  const suffix = apiKey.length >= 16 ? `…${apiKey.slice(-4)}` : '…';
  return realm === undefined ? suffix : `${realm} ${suffix}`;
}

/** A key by its variable's name in a batch, by realm and suffix always; never by its value. */
export function keyLabel(batch: boolean, key: Pick<KeySpec, 'name' | 'apiKey'>): string {
  const described = key.apiKey === '' ? 'not set' : describeKey(key.apiKey);
  return batch ? `${key.name} (${described})` : described;
}
