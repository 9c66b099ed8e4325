// The decision, as plain functions of data: no I/O here, so every rule is testable without a network.

import { message, q, type Message } from './text.js';

/** Where a Fullstory admin creates keys (and sees them, by name and suffix). */
export const KEYS_PAGE = 'Settings > Integrations > API Keys';

/** Fullstory's key permission levels, lowest first: a higher level can do all a lower one can. */
export const LEVELS = ['standard', 'architect', 'admin'] as const;
export type Level = (typeof LEVELS)[number];

/** The `role` that GET /me reports for a key of each level. */
export const ROLE_OF_LEVEL: Readonly<Record<Level, string>> = {
  standard: 'USER',
  architect: 'ARCHITECT',
  admin: 'ADMIN'
};

const LEVEL_NAME: Readonly<Record<Level, string>> = {
  standard: 'Standard',
  architect: 'Architect',
  admin: 'Admin'
};

export type MatchMode = 'exact' | 'at-least';
export const MATCH_MODES: readonly MatchMode[] = ['exact', 'at-least'];

/** What GET /me said of a key; values are redacted and cut where they enter (fullstory.ts). */
export interface Me {
  role: string;
  orgId: string;
  /** The key creator's email: personal data, for the `email` output only. */
  email: string;
}

/** How asking GET /me about a key ended. */
export type MeOutcome =
  | { kind: 'answered'; me: Me; attempts: number }
  | { kind: 'rejected'; reason: Message; attempts: number }
  | { kind: 'failed'; reason: Message; attempts: number };

/** Every verdict, from best to worst. */
export const RESULTS = ['match', 'mismatch', 'invalid-key', 'error'] as const;
export type Result = (typeof RESULTS)[number];

/** What one key must be. */
export interface Policy {
  expectedLevel: Level;
  match: MatchMode;
  /** Empty when any org will do. */
  expectedOrgId: string;
}

export interface Verdict {
  result: Result;
  /** What /me said, when it answered 200 with a role. */
  me?: Me;
  /** The key's level, or `unknown` for a role outside the three levels; set with `me`. */
  level?: Level | 'unknown';
  /** Why the key does not match, or why it could not be verified; empty for a match. */
  problems: Message[];
  /** A match that holds only because `at-least` allows a higher level than expected. */
  overPrivileged: boolean;
  /** An `error` because the key was never sent: its input is missing or malformed (see KeySpec.problem). */
  inputProblem?: true;
  /** For a mismatch, which of the two was wrong: the level (or a role that is none), the org. */
  wrong?: { level: boolean; org: boolean };
}

/** A level from a level name or a role name, case-insensitively; undefined for anything else. */
export function parseLevel(text: string): Level | undefined {
  const wanted = text.trim().toUpperCase();
  return LEVELS.find((level) => level.toUpperCase() === wanted || ROLE_OF_LEVEL[level] === wanted);
}

/** The level of a role from /me. Only the exact role names count: fail closed on anything else. */
export function levelOfRole(role: string): Level | undefined {
  return LEVELS.find((level) => ROLE_OF_LEVEL[level] === role);
}

export function describeLevel(level: Level): string {
  return `${LEVEL_NAME[level]} (role ${ROLE_OF_LEVEL[level]})`;
}

export function describeExpectation(policy: Pick<Policy, 'expectedLevel' | 'match'>): string {
  const level = describeLevel(policy.expectedLevel);
  return policy.match === 'exact' ? `exactly ${level}` : `at least ${level}`;
}

function rank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function judge(policy: Policy, outcome: MeOutcome): Verdict {
  if (outcome.kind === 'rejected') {
    const todo = message`Check the secret's value, or create a new key under ${KEYS_PAGE}.`;
    return { result: 'invalid-key', problems: [message`${outcome.reason} ${todo}`], overPrivileged: false };
  }
  if (outcome.kind === 'failed') {
    return { result: 'error', problems: [outcome.reason], overPrivileged: false };
  }

  const { me } = outcome;
  const level = levelOfRole(me.role);
  const problems: Message[] = [];
  let overPrivileged = false;
  let wrongLevel = level === undefined;

  if (level === undefined) {
    problems.push(
      message`the key's role is ${q(me.role)}, which is not a key permission level (USER, ARCHITECT or ADMIN), so it satisfies no expectation`
    );
  } else {
    const difference = rank(level) - rank(policy.expectedLevel);
    const allowed = policy.match === 'exact' ? difference === 0 : difference >= 0;
    wrongLevel = !allowed;
    if (!allowed) {
      problems.push(message`expected ${describeExpectation(policy)}, but the key is ${describeLevel(level)}`);
    }
    overPrivileged = allowed && difference > 0;
  }

  const wrongOrg = policy.expectedOrgId !== '' && me.orgId !== policy.expectedOrgId;
  if (wrongOrg) {
    problems.push(message`expected org ${q(policy.expectedOrgId)}, but the key belongs to org ${q(me.orgId)}`);
  }

  const verdict: Verdict = {
    result: problems.length === 0 ? 'match' : 'mismatch',
    me,
    level: level ?? 'unknown',
    problems,
    overPrivileged: problems.length === 0 && overPrivileged
  };
  if (verdict.result === 'mismatch') verdict.wrong = { level: wrongLevel, org: wrongOrg };
  return verdict;
}

/**
 * What to do about a key that works but is not what the policy asks for: a key of the wanted level,
 * in the wanted org, for whichever of the two was wrong; undefined when there is nothing to do. A
 * rejected or unverified key has its advice in its problem already.
 */
export function advice(policy: Policy, verdict: Verdict): Message | undefined {
  const wanted = `${policy.match === 'exact' ? '' : 'at least '}${LEVEL_NAME[policy.expectedLevel]}`;
  if (verdict.result === 'match' && verdict.overPrivileged) {
    return message`The key has more privilege than this check asks for (${describeExpectation(policy)}). If nothing needs it, create a key of level ${LEVEL_NAME[policy.expectedLevel]} under ${KEYS_PAGE} and update the secret (least privilege).`;
  }
  if (verdict.result !== 'mismatch') return undefined;
  const wrong = verdict.wrong ?? { level: true, org: false };
  const org = q(policy.expectedOrgId);
  if (wrong.level && wrong.org) {
    return message`Create a key of level ${wanted} in org ${org} (signed in to that org, under ${KEYS_PAGE}) and update the secret.`;
  }
  if (wrong.org) {
    return message`The key's level is right but it is from another org: create one in org ${org} (signed in to that org, under ${KEYS_PAGE}) and update the secret, or, if org ${q(verdict.me?.orgId ?? '')} is the one this check should expect, change the expected org id.`;
  }
  return message`Create a key of level ${wanted} under ${KEYS_PAGE} and update the secret.`;
}

/**
 * Whether a key passes: only a verified match, or, when the workflow allows mismatches, a key whose
 * level was verified to be another of the three. A role outside the three levels is no verified
 * level at all, so it never passes, whatever fail-on-mismatch says.
 */
export function passes(failOnMismatch: boolean, verdict: Pick<Verdict, 'result' | 'level'>): boolean {
  if (verdict.result === 'match') return true;
  return verdict.result === 'mismatch' && !failOnMismatch && verdict.level !== undefined && verdict.level !== 'unknown';
}

/** The worst of several verdicts: error > invalid-key > mismatch > match; no verdict at all is an error. */
export function worst(results: readonly Result[]): Result {
  if (results.length === 0) return 'error';
  return results.reduce((a, b) => (RESULTS.indexOf(b) > RESULTS.indexOf(a) ? b : a));
}
