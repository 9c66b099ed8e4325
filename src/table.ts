// The verdict table, as cells of prose and values: the job summary, the alert issue and the CLI
// each render them through text.ts, their own way.

import type { Checked } from './check.js';
import type { Settings } from './inputs.js';
import { message, q, type Message } from './text.js';
import { passes, type Result, type Verdict } from './verdict.js';

export const HEADER = ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'] as const;

/**
 * How people recognise a key: Fullstory's settings page lists keys by a short suffix, and keys
 * since 2022 start with their realm. A short value would be half given away by 4 characters.
 */
export function describeKey(apiKey: string): string {
  const realm = /^(na1|eu1)/.exec(apiKey)?.[1];
  const suffix = apiKey.length >= 16 ? `…${apiKey.slice(-4)}` : '…';
  return realm === undefined ? suffix : `${realm} ${suffix}`;
}

/** A key by its variable's name in a batch, by realm and suffix always; never by its value. */
export function keyLabel(settings: Pick<Settings, 'batch'>, { key }: Pick<Checked, 'key'>): string {
  const described = key.apiKey === '' ? 'not set' : describeKey(key.apiKey);
  return settings.batch ? `${key.name} (${described})` : described;
}

const VERDICT_TEXT: Record<Result, string> = {
  match: '✅ match',
  mismatch: '❌ mismatch',
  'invalid-key': '❌ invalid key',
  error: '❌ could not verify'
};

export function verdictText(
  settings: Pick<Settings, 'failOnMismatch'>,
  verdict: Pick<Verdict, 'result' | 'level' | 'inputProblem' | 'overPrivileged'>
): string {
  if (verdict.inputProblem) return '❌ not checked: fix the input';
  if (verdict.overPrivileged) return '⚠️ match (over-privileged)';
  return verdict.result === 'mismatch' && passes(settings.failOnMismatch, verdict)
    ? '⚠️ mismatch (allowed)'
    : VERDICT_TEXT[verdict.result];
}

export function tableRow(settings: Settings, checked: Checked): Message[] {
  const { key, verdict } = checked;
  const me = verdict.me;
  const org = key.expectedOrgId === '' ? [] : message`, org ${q(key.expectedOrgId)}`;
  return [
    [keyLabel(settings, checked)],
    me === undefined || me.orgId === '' ? ['—'] : [q(me.orgId)],
    me === undefined ? ['—'] : [q(me.role)],
    [verdict.level ?? '—'],
    message`${key.expectedLevel} (${settings.match})${org}`,
    [verdictText(settings, verdict)]
  ];
}
