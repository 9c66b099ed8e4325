// The verdict table, as cells of prose and values: the job summary, the alert issue and the CLI
// each render them through text.ts, their own way.

import type { Checked } from './check.js';
import type { Settings } from './inputs.js';
import { keyLabel } from './keys.js';
import { message, q, type Message } from './text.js';
import { passes, type Result, type Verdict } from './verdict.js';

export const HEADER = ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'] as const;

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
    [keyLabel(settings.batch, key)],
    me === undefined || me.orgId === '' ? ['—'] : [q(me.orgId)],
    me === undefined ? ['—'] : [q(me.role)],
    [verdict.level ?? '—'],
    message`${key.expectedLevel} (${settings.match})${org}`,
    [verdictText(settings, verdict)]
  ];
}
