import { describe, expect, it } from '@jest/globals';
import {
  LEVELS,
  advice,
  cliTerms,
  failureAdvice,
  judge,
  levelOfRole,
  parseLevel,
  passes,
  worst,
  type Cause,
  type Policy,
  type Terms
} from '../src/verdict.js';
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

  it('keeps rejections and failures apart, with their reasons; the advice says where a new key is made', () => {
    const rejected = judge(policy(), { kind: 'rejected', reason: ['r'], attempts: 1 });
    expect({ ...rejected, problems: rejected.problems.map(asText) }).toEqual({
      result: 'invalid-key',
      problems: ['r'],
      overPrivileged: false
    });
    expect(asText(advice(policy(), rejected)!)).toBe(
      "Check the secret's value, or create a new key under Settings > Integrations > API Keys."
    );
    expect(judge(policy(), { kind: 'failed', reason: ['f'], cause: { kind: 'server' }, attempts: 3 })).toEqual({
      result: 'error',
      problems: [['f']],
      overPrivileged: false,
      cause: { kind: 'server' }
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
    expect(adviceFor(policy(), { kind: 'rejected', reason: ['gone'], attempts: 1 })).toBe(
      "Check the secret's value, or create a new key under Settings > Integrations > API Keys."
    );
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

describe('failureAdvice: what removes the cause of an error', () => {
  const said = (cause: Cause, terms?: Terms) => asText(failureAdvice(cause, terms));

  it.each([
    [{ kind: 'certificate' }, 'If a proxy or a private CA signs it, give the runner that CA with NODE_EXTRA_CA_CERTS.'],
    [
      { kind: 'protocol', plainHttp: false },
      "Check that api-url is the API's https:// URL, https://api.fullstory.com: the server there offers no TLS this check accepts."
    ],
    [{ kind: 'refused', proxy: 'https_proxy' }, 'Check the proxy in https_proxy, which this request went through.'],
    [
      { kind: 'proxy-variable', name: 'HTTPS_PROXY', unencoded: false },
      'Fix HTTPS_PROXY (e.g. http://proxy.example:3128) or unset it.'
    ],
    [
      { kind: 'timeout', budgetMs: 30_000, attempts: 0 },
      'Raise timeout-seconds (now 30 s), or check fewer keys in one step.'
    ],
    [
      { kind: 'timeout', budgetMs: 5000, attempts: 2, last: { kind: 'dns' } },
      'Check the host name in api-url (https://api.fullstory.com serves keys of every realm, na1 and eu1 alike), and that the runner can resolve names.'
    ],
    [
      { kind: 'retry-after', waitMs: 7200_000, elapsedMs: 100, budgetMs: 30_000 },
      'No timeout-seconds holds that wait (it is at most 3600): re-run the job after more than an hour, once the limit has passed.'
    ],
    [
      { kind: 'attempts', maxAttempts: 10, last: { kind: 'server' } },
      "Fullstory's server errors usually pass: re-run the job later."
    ],
    [
      { kind: 'rate-limit' },
      'Raise timeout-seconds so that the rate limit can be waited out, or check fewer keys at once.'
    ],
    [
      { kind: 'timeout', budgetMs: 5000, attempts: 2, last: { kind: 'rate-limit' } },
      "Fullstory's rate limit outlasted the time: raise timeout-seconds (now 5 s) so that it can be waited out, or check fewer keys at once."
    ],
    [
      { kind: 'attempts', maxAttempts: 3, last: { kind: 'network' } },
      'A dropped connection usually passes: re-run the job; if it keeps happening, check the network between the runner and api-url. For a scheduled check, raise max-attempts (now 3) to ride such failures out.'
    ],
    // At exactly an hour, timeout-seconds 3600 holds the wait.
    [
      { kind: 'retry-after', waitMs: 3600_000, elapsedMs: 0, budgetMs: 30_000 },
      'Raise timeout-seconds from 30 to at least 3600 so that the wait fits, or re-run the job after 3600 s, once the limit has passed.'
    ]
  ] as [Cause, string][])('%j', (cause, advised) => {
    expect(said(cause)).toBe(advised);
  });

  it('never says "re-run" for a cause that only a change of configuration removes', () => {
    const configuration: Cause[] = [
      { kind: 'status', status: 404 },
      { kind: 'redirect' },
      { kind: 'not-me' },
      { kind: 'dns' },
      { kind: 'refused' },
      { kind: 'protocol', plainHttp: true },
      { kind: 'certificate' },
      { kind: 'proxy-variable', name: 'https_proxy', unencoded: true },
      { kind: 'timeout', budgetMs: 1000, attempts: 1 }
    ];
    for (const cause of configuration) expect(said(cause)).not.toMatch(/re-run the job|run the check again/);
  });

  it('speaks the CLI’s words where the CLI gives them', () => {
    expect(said({ kind: 'network' }, cliTerms('the key on standard input'))).toBe(
      'A dropped connection usually passes: run the check again; if it keeps happening, check the network between this machine and api-url.'
    );
  });
});
