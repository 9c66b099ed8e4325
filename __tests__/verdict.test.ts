import { describe, expect, it } from '@jest/globals';
import { LEVELS, advice, judge, levelOfRole, parseLevel, passes, worst, type Policy } from '../src/verdict.js';
import type { MeOutcome } from '../src/verdict.js';
import { Quoted, asText } from '../src/text.js';

const policy = (overrides: Partial<Policy> = {}): Policy => ({
  expectedLevel: 'standard',
  match: 'exact',
  expectedOrgId: '',
  ...overrides
});
const answered = (role: string, orgId = 'o-1'): MeOutcome => ({
  kind: 'answered',
  me: { role, orgId, email: 'creator@example.com' },
  attempts: 1
});

describe('parseLevel', () => {
  it.each([
    ['standard', 'standard'],
    ['STANDARD', 'standard'],
    [' Architect ', 'architect'],
    ['admin', 'admin'],
    ['USER', 'standard'],
    ['user', 'standard'],
    ['ARCHITECT', 'architect'],
    ['ADMIN', 'admin']
  ])('%j is %s', (text, level) => expect(parseLevel(text)).toBe(level));

  it.each(['', 'owner', 'VIEW_ONLY', 'UNKNOWN', 'standard-ish', 'adm'])('%j is not a level', (text) =>
    expect(parseLevel(text)).toBeUndefined()
  );
});

describe('levelOfRole', () => {
  it('maps exactly the three role names', () => {
    expect(
      LEVELS.map((level) => levelOfRole({ standard: 'USER', architect: 'ARCHITECT', admin: 'ADMIN' }[level]))
    ).toEqual([...LEVELS]);
  });
  it.each(['UNKNOWN', 'VIEW_ONLY', 'UMBRELLA_MANAGER', 'admin', 'User', ' ADMIN', ''])('%j has no level', (role) =>
    expect(levelOfRole(role)).toBeUndefined()
  );
});

describe('judge', () => {
  const roles = ['USER', 'ARCHITECT', 'ADMIN'];
  it.each(
    roles.flatMap((role, have) =>
      LEVELS.flatMap((expectedLevel, want) => [
        { role, expectedLevel, match: 'exact' as const, result: have === want ? 'match' : 'mismatch', over: false },
        {
          role,
          expectedLevel,
          match: 'at-least' as const,
          result: have >= want ? 'match' : 'mismatch',
          over: have > want
        }
      ])
    )
  )('$role vs $match $expectedLevel → $result', ({ role, expectedLevel, match, result, over }) => {
    const verdict = judge(policy({ expectedLevel, match }), answered(role));
    expect(verdict.result).toBe(result);
    expect(verdict.overPrivileged).toBe(over);
    expect(verdict.problems.length > 0).toBe(result === 'mismatch');
    expect(verdict.level).toBe(LEVELS[roles.indexOf(role)]);
  });

  it('names both levels in a level mismatch', () => {
    const verdict = judge(policy({ expectedLevel: 'standard' }), answered('ADMIN'));
    expect(verdict.problems.map(asText)).toEqual([
      'expected exactly Standard (role USER), but the key is Admin (role ADMIN)'
    ]);
  });

  it('keeps a value from the API apart from the prose around it, exactly as it came', () => {
    const verdict = judge(policy({ expectedOrgId: 'o-1' }), answered(' USER', 'o-1 '));
    expect(asText(verdict.problems[0]!)).toContain('the key\'s role is " USER", which is not a key permission level');
    expect(verdict.problems[1]).toContainEqual(new Quoted('o-1 '));
  });

  it.each(['UNKNOWN', 'VIEW_ONLY', 'UMBRELLA_MANAGER', 'NEW_ROLE_2027'])(
    'fails closed on role %s under any policy',
    (role) => {
      for (const expectedLevel of LEVELS) {
        for (const match of ['exact', 'at-least'] as const) {
          const verdict = judge(policy({ expectedLevel, match }), answered(role));
          expect(verdict.result).toBe('mismatch');
          expect(verdict.level).toBe('unknown');
          expect(asText(verdict.problems[0]!)).toContain(JSON.stringify(role));
        }
      }
    }
  );

  it('requires expected-org-id when set, and reports both problems together', () => {
    expect(judge(policy({ expectedOrgId: 'o-1' }), answered('USER', 'o-1')).result).toBe('match');
    const verdict = judge(policy({ expectedOrgId: 'o-1' }), answered('ADMIN', 'o-2'));
    expect(verdict.result).toBe('mismatch');
    expect(verdict.problems).toHaveLength(2);
    expect(asText(verdict.problems[1]!)).toBe('expected org "o-1", but the key belongs to org "o-2"');
  });

  it('an over-privileged key in the wrong org is a mismatch, not a least-privilege hint', () => {
    const verdict = judge(policy({ match: 'at-least', expectedOrgId: 'o-1' }), answered('ADMIN', 'o-2'));
    expect(verdict).toMatchObject({ result: 'mismatch', overPrivileged: false });
  });

  it('keeps rejections and failures apart, with their reasons; a rejection says where a new key is made', () => {
    const rejected = judge(policy(), { kind: 'rejected', reason: ['r'], attempts: 1 });
    expect({ ...rejected, problems: rejected.problems.map(asText) }).toEqual({
      result: 'invalid-key',
      problems: ["r Check the secret's value, or create a new key under Settings > Integrations > API Keys."],
      overPrivileged: false
    });
    expect(judge(policy(), { kind: 'failed', reason: ['f'], attempts: 3 })).toEqual({
      result: 'error',
      problems: [['f']],
      overPrivileged: false
    });
  });
});

describe('advice', () => {
  const adviceFor = (p: Policy, outcome: MeOutcome) => {
    const todo = advice(p, judge(p, outcome));
    return todo === undefined ? undefined : asText(todo);
  };

  it('asks for a key of the right level when only the level is wrong', () => {
    expect(adviceFor(policy({ expectedLevel: 'architect' }), answered('USER'))).toBe(
      'Create a key of level Architect under Settings > Integrations > API Keys and update the secret.'
    );
    expect(adviceFor(policy({ match: 'at-least', expectedLevel: 'admin' }), answered('USER'))).toMatch(
      /^Create a key of level at least Admin /
    );
  });

  it('asks for a key from the right org, not of another level, when only the org is wrong', () => {
    const text = adviceFor(policy({ expectedOrgId: 'o-PROD-na1' }), answered('USER', 'o-STAGING-na1'))!;
    expect(text).toMatch(/^The key's level is right but it is from another org: create one in org "o-PROD-na1"/);
    expect(text).toContain('if org "o-STAGING-na1" is the one this check should expect, change the expected org id');
    expect(text).not.toMatch(/right level|of level/);
  });

  it('asks for both when both are wrong', () => {
    expect(adviceFor(policy({ expectedOrgId: 'o-PROD-na1' }), answered('ADMIN', 'o-X'))).toMatch(
      /^Create a key of level Standard in org "o-PROD-na1" \(signed in to that org/
    );
  });

  it('points to least privilege for an over-privileged match, and says nothing for a plain one', () => {
    expect(adviceFor(policy({ match: 'at-least' }), answered('ADMIN'))).toMatch(
      /^The key has more privilege than this check asks for \(at least Standard \(role USER\)\)\. If nothing needs it, create a key of level Standard/
    );
    expect(adviceFor(policy(), answered('USER'))).toBeUndefined();
    expect(adviceFor(policy(), { kind: 'rejected', reason: ['gone'], attempts: 1 })).toBeUndefined();
  });

  it('records which of the two a mismatch got wrong', () => {
    expect(judge(policy({ expectedOrgId: 'o-1' }), answered('VIEW_ONLY')).wrong).toEqual({ level: true, org: false });
    expect(judge(policy({ expectedOrgId: 'o-2' }), answered('USER')).wrong).toEqual({ level: false, org: true });
    expect(judge(policy(), answered('USER')).wrong).toBeUndefined();
  });
});

describe('passes', () => {
  it.each([
    ['match', 'admin', true, true],
    ['match', 'admin', false, true],
    ['mismatch', 'admin', true, false],
    ['mismatch', 'admin', false, true],
    ['mismatch', 'unknown', true, false],
    ['mismatch', 'unknown', false, false],
    ['invalid-key', undefined, true, false],
    ['invalid-key', undefined, false, false],
    ['error', undefined, true, false],
    ['error', undefined, false, false]
  ] as const)('%s (level %s) with fail-on-mismatch %s → %s', (result, level, failOnMismatch, pass) => {
    expect(passes(failOnMismatch, { result, level })).toBe(pass);
  });

  it('a role outside the three levels never passes, even where mismatches are allowed', () => {
    const policy = { expectedLevel: 'standard', match: 'at-least', expectedOrgId: '' } as const;
    for (const role of ['VIEW_ONLY', 'UNKNOWN', 'UMBRELLA_MANAGER', 'ROLE_OF_2030']) {
      const verdict = judge(policy, { kind: 'answered', me: { role, orgId: 'o-1', email: '' }, attempts: 1 });
      expect(verdict.result).toBe('mismatch');
      expect(passes(false, verdict)).toBe(false);
    }
  });
});

describe('worst', () => {
  it('orders error > invalid-key > mismatch > match', () => {
    expect(worst(['match', 'match'])).toBe('match');
    expect(worst(['match', 'mismatch', 'match'])).toBe('mismatch');
    expect(worst(['mismatch', 'invalid-key'])).toBe('invalid-key');
    expect(worst(['error', 'invalid-key', 'match'])).toBe('error');
    expect(worst(['invalid-key', 'error'])).toBe('error');
  });
  it('treats no verdict at all as an error: fail closed', () => {
    expect(worst([])).toBe('error');
  });
});
