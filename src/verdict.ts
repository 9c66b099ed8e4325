// The decision, as plain functions of data: no I/O here, so every rule is testable without a network.

import type { MeOutcome, Me } from './fullstory.js';
import { message, q, type Message } from './text.js';

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
    return { result: 'invalid-key', problems: [outcome.reason], overPrivileged: false };
  }
  if (outcome.kind === 'failed') {
    return { result: 'error', problems: [outcome.reason], overPrivileged: false };
  }

  const { me } = outcome;
  const level = levelOfRole(me.role);
  const problems: Message[] = [];
  let overPrivileged = false;

  if (level === undefined) {
    problems.push(
      message`the key's role is ${q(me.role)}, which is not a key permission level (USER, ARCHITECT or ADMIN), so it satisfies no expectation`
    );
  } else {
    const difference = rank(level) - rank(policy.expectedLevel);
    const allowed = policy.match === 'exact' ? difference === 0 : difference >= 0;
    if (!allowed) {
      problems.push(message`expected ${describeExpectation(policy)}, but the key is ${describeLevel(level)}`);
    }
    overPrivileged = allowed && difference > 0;
  }

  if (policy.expectedOrgId !== '' && me.orgId !== policy.expectedOrgId) {
    problems.push(message`expected org ${q(policy.expectedOrgId)}, but the key belongs to org ${q(me.orgId)}`);
  }

  return {
    result: problems.length === 0 ? 'match' : 'mismatch',
    me,
    level: level ?? 'unknown',
    problems,
    overPrivileged: problems.length === 0 && overPrivileged
  };
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
