import { describe, expect, it } from '@jest/globals';
import { afterEach } from '@jest/globals';
import { INPUT_NAMES, InputError, looksLikeSecret, parseSettings, type RawInputs } from '../src/inputs.js';
import { readSettings } from '../src/main.js';
import { secrets } from '../src/redact.js';
import { asText } from '../src/text.js';
import { actionYml } from './helpers/action-yml.js';
import { recordingRunner } from './helpers/runner.js';
import { EMPTY_INPUTS } from './helpers/settings.js';

const KEY = 'na1.someKey0000000000000000000000';
const raw = (overrides: Partial<RawInputs> = {}): RawInputs => ({
  ...EMPTY_INPUTS,
  'api-key': KEY,
  'expected-level': 'standard',
  ...overrides
});
const problems = (overrides: Partial<RawInputs>, env: Record<string, string> = {}): string[] => {
  try {
    parseSettings(raw(overrides), env);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(asText);
    throw error;
  }
  return [];
};

describe('parseSettings', () => {
  it('reads the same inputs action.yml declares', () => {
    expect([...INPUT_NAMES].sort()).toEqual(Object.keys(actionYml.inputs).sort());
  });

  it('fills the documented defaults for empty inputs', () => {
    expect(parseSettings(raw())).toEqual({
      keys: [{ name: 'api-key', apiKey: KEY, expectedLevel: 'standard', expectedOrgId: '' }],
      batch: false,
      checkName: '',
      match: 'exact',
      failOnMismatch: true,
      meUrl: new URL('https://api.fullstory.com/me'),
      timeoutMs: 30_000,
      maxAttempts: 3,
      alertIssue: false,
      githubToken: ''
    });
  });

  it('parses every input', () => {
    const settings = parseSettings(
      raw({
        'api-key': ` ${KEY}\n`,
        'expected-level': 'ARCHITECT',
        match: 'At-Least',
        'expected-org-id': ' o-1G1-na1 ',
        'fail-on-mismatch': 'False',
        'api-url': 'https://proxy.example.com/fullstory',
        'timeout-seconds': '2.5',
        'max-attempts': '10'
      })
    );
    expect(settings).toMatchObject({
      keys: [{ name: 'api-key', apiKey: KEY, expectedLevel: 'architect', expectedOrgId: 'o-1G1-na1' }],
      match: 'at-least',
      failOnMismatch: false,
      timeoutMs: 2500,
      maxAttempts: 10
    });
    expect(settings.meUrl.href).toBe('https://proxy.example.com/fullstory/me');
  });

  it.each([
    ['https://api.fullstory.com', 'https://api.fullstory.com/me'],
    ['https://api.fullstory.com/', 'https://api.fullstory.com/me'],
    ['https://api.eu1.fullstory.com', 'https://api.eu1.fullstory.com/me'],
    ['https://proxy.example.com/a/b/', 'https://proxy.example.com/a/b/me'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/me'],
    ['http://127.9.9.9', 'http://127.9.9.9/me'],
    ['http://localhost:1234/x', 'http://localhost:1234/x/me'],
    ['http://[::1]:9000', 'http://[::1]:9000/me'],
    ['http://2130706433:81', 'http://127.0.0.1:81/me']
  ])('api-url %s → %s', (apiUrl, me) => {
    expect(parseSettings(raw({ 'api-url': apiUrl })).meUrl.href).toBe(me);
  });

  it.each([
    'http://api.fullstory.com',
    'http://10.0.0.1',
    'http://128.0.0.1',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://[::2]',
    'ws://127.0.0.1',
    'file:///etc/passwd'
  ])('refuses api-url %s: the key only travels over https (or to loopback)', (apiUrl) => {
    expect(problems({ 'api-url': apiUrl })).toEqual([expect.stringMatching(/^api-url .* is not allowed/)]);
  });

  it('never echoes a key given in api-url', () => {
    const [problem] = problems({ 'api-url': 'http://user:SECRET@api.fullstory.com' });
    expect(problem).toMatch(/^api-url must not contain a user name or password/);
    expect(problem).not.toContain('SECRET');
    // A password alone is a credential too.
    expect(problems({ 'api-url': 'https://:SECRET@api.fullstory.com' })).toEqual([
      expect.stringMatching(/^api-url must not contain a user name or password/)
    ]);
  });

  it.each(['https://api.fullstory.com/?k=1', 'https://api.fullstory.com/#me'])(
    'refuses api-url %s: a query string or fragment is no path prefix',
    (apiUrl) => {
      expect(problems({ 'api-url': apiUrl })).toEqual([
        expect.stringMatching(/must not have a query string or fragment/)
      ]);
    }
  );

  // Only api-key and the keys variables are secrets: a key anywhere else must not be quoted back.
  const REALMLESS = 'q7ZpL2mRv9TbK4wYc8NdF3hJ6sG0001';
  it.each([
    ['expected-level', { 'expected-level': KEY }],
    ['expected-level', { 'expected-level': REALMLESS }],
    ['match', { match: KEY }],
    ['fail-on-mismatch', { 'fail-on-mismatch': REALMLESS }],
    ['alert-issue', { 'alert-issue': KEY }],
    ['timeout-seconds', { 'timeout-seconds': KEY }],
    ['max-attempts', { 'max-attempts': KEY }],
    ['api-url', { 'api-url': KEY }],
    ['api-url', { 'api-url': REALMLESS }],
    ['api-url', { 'api-url': `https://api.fullstory.com/?key=${KEY}` }],
    ['api-url', { 'api-url': `http://proxy.example/${REALMLESS}/` }],
    ['keys line 1: the level of FS_INGEST,', { 'api-key': '', 'expected-level': '', keys: `FS_INGEST: ${KEY}` }]
  ] as [string, Partial<RawInputs>][])('never quotes a key given in %s, and says where it belongs', (name, given) => {
    const found = problems(given, { FS_INGEST: 'na1.anotherKey000000000000000000' });
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(not shown: it looks like a key\\) (is not valid|is not a URL|is not allowed|must not have)`
        )
      )
    ]);
    expect(found[0]).not.toContain(REALMLESS.slice(0, 8));
    expect(found[0]).not.toContain(KEY.slice(4, 12));
  });

  it.each([KEY, REALMLESS, 'has space', 'o-1.2'])('refuses expected-org-id %j without echoing it', (org) => {
    const found = problems({ 'expected-org-id': org });
    expect(found).toEqual([
      'expected-org-id is not valid (not shown: it may be a key). Write the org id Fullstory shows, such as o-1G1-na1, never a key.'
    ]);
  });

  it.each(['e', 'na1.abc'])('refuses a key too short to be one (%j), without echoing it', (apiKey) => {
    expect(problems({ 'api-key': apiKey })).toEqual([
      `api-key is only ${apiKey.length === 1 ? '1 character' : `${apiKey.length} characters`} long, too short to be an API key. Paste the whole key as Fullstory showed it.`
    ]);
  });

  it('still quotes a URL, and short values, which are no keys', () => {
    expect(problems({ 'api-url': 'http://api.eu1.fullstory.com' })[0]).toMatch(
      /^api-url "http:\/\/api.eu1.fullstory.com" is not allowed/
    );
    expect(problems({ 'api-url': 'ftp://api.fullstory.com/Ab1' })[0]).toMatch(
      /^api-url "ftp:\/\/api.fullstory.com\/Ab1"/
    );
    expect(problems({ 'expected-level': 'Standard1' })[0]).toMatch(/^expected-level "Standard1" is not valid/);
  });

  it('never echoes the key when it is malformed', () => {
    const [problem] = problems({ 'api-key': 'na1.half one\nhalf two' });
    expect(problem).toMatch(/^api-key contains spaces/);
    expect(problem).not.toMatch(/half/);
  });

  it.each([
    ['timeout-seconds', ['-1', '0', '0.0', '3601', '1e3', '0x10', ' 5s', 'Infinity', '.5', '5.']],
    ['max-attempts', ['-1', '0', '11', '1.5', 'three', '1e1']],
    ['fail-on-mismatch', ['yes', 'no', '1', '0', 'tRue']],
    ['alert-issue', ['yes', 'on', '1']],
    ['match', ['minimum', 'atleast', 'at_least']],
    ['expected-level', ['owner', 'VIEW_ONLY', '3']]
  ] as const)('%s refuses %j, naming the input and the valid values', (name, values) => {
    for (const value of values) {
      const found = problems({ [name]: value });
      expect(found).toHaveLength(1);
      // Quoted as given, whitespace and all; a typo of a valid value gets a suggestion first.
      const prefix = `${name} ${JSON.stringify(value)} is not valid.`;
      expect(found[0]!.slice(0, prefix.length)).toBe(prefix);
      expect(found[0]!.slice(prefix.length)).toMatch(/^( Did you mean [a-z-]+\?)? Use /);
    }
  });

  it.each([
    ['expected-level', 'standrad', 'standard'],
    ['expected-level', 'Stnadard', 'standard'],
    ['expected-level', 'architekt', 'architect'],
    ['expected-level', 'admn', 'admin'],
    ['expected-level', 'usr', 'standard'],
    ['expected-level', 'ARCHITCT', 'architect'],
    ['match', 'atleast', 'at-least'],
    ['match', 'exakt', 'exact'],
    ['fail-on-mismatch', 'ture', 'true'],
    ['alert-issue', 'flase', 'false']
  ] as const)('%s %j asks: did you mean %s?', (name, typo, meant) => {
    expect(problems({ [name]: typo })).toEqual([
      expect.stringContaining(`${name} "${typo}" is not valid. Did you mean ${meant}? Use `)
    ]);
  });

  it.each([
    ['expected-level', 'owner'],
    ['expected-level', 'VIEW_ONLY'],
    ['expected-level', '3'],
    ['match', 'minimum'],
    ['fail-on-mismatch', 'yes']
  ] as const)('%s %j is no typo of a valid value: no suggestion', (name, value) => {
    expect(problems({ [name]: value })[0]).not.toContain('Did you mean');
  });

  it('says expected-level is required when api-key comes without it', () => {
    expect(problems({ 'expected-level': '' })).toEqual([
      'expected-level is required with api-key: standard, architect, admin, the level the key must have.'
    ]);
  });

  it('names the key by its source in the messages, as the CLI reads it from elsewhere', () => {
    const [problem] = (() => {
      try {
        parseSettings(raw({ 'api-key': 'na1.a b' }), {}, { apiKey: 'FULLSTORY_API_KEY' });
      } catch (error) {
        return (error as InputError).problems.map(asText);
      }
      return [];
    })();
    expect(problem).toMatch(/^FULLSTORY_API_KEY contains spaces/);
  });

  it('accepts the boundaries', () => {
    expect(parseSettings(raw({ 'timeout-seconds': '3600', 'max-attempts': '1' }))).toMatchObject({
      timeoutMs: 3_600_000,
      maxAttempts: 1
    });
    expect(parseSettings(raw({ 'timeout-seconds': '0.1' })).timeoutMs).toBe(100);
    // The three spellings YAML 1.2 core reads as true, and false.
    for (const [text, value] of [
      ['TRUE', true],
      ['True', true],
      ['true', true],
      ['FALSE', false],
      ['False', false]
    ] as const) {
      expect(parseSettings(raw({ 'fail-on-mismatch': text })).failOnMismatch).toBe(value);
    }
    expect(parseSettings(raw({ 'check-name': 'c'.repeat(100) })).checkName).toHaveLength(100);
    expect(problems({ 'check-name': 'c'.repeat(101) })).toEqual([expect.stringMatching(/^check-name is not valid/)]);
  });

  it('needs a token when alert-issue is on', () => {
    expect(problems({ 'alert-issue': 'true' })).toEqual([
      expect.stringMatching(/^github-token is empty, and alert-issue needs a token/)
    ]);
    expect(parseSettings(raw({ 'alert-issue': 'true', 'github-token': 'ghs_x' }))).toMatchObject({
      alertIssue: true,
      githubToken: 'ghs_x'
    });
  });

  it('collects every problem, one line each, in input order', () => {
    const found = problems({ 'api-key': '', 'expected-level': 'x', match: 'y', 'max-attempts': '0' });
    expect(found.map((problem) => problem.split(' ')[0])).toEqual([
      'api-key',
      'expected-level',
      'match',
      'max-attempts'
    ]);
    expect(new InputError(found.map((problem) => [problem])).message.split('\n')).toHaveLength(4);
  });
});

describe('readSettings', () => {
  afterEach(() => secrets.clear());

  /** readSettings on these inputs: the secrets it masked, and the problems it found. */
  function readWith(inputs: Record<string, string>, env: Record<string, string> = {}) {
    const runner = recordingRunner(inputs);
    let found: string[] = [];
    try {
      readSettings(runner, env);
    } catch (error) {
      found = (error as InputError).problems.map(asText);
    }
    return { written: runner.secrets, found };
  }

  it('takes a key of 8 characters, the least, and masks it; refuses one of 7, unmasked', () => {
    expect(readWith({ 'api-key': 'na1.abcd', 'expected-level': 'standard' })).toEqual({
      written: ['na1.abcd'],
      found: []
    });
    expect(readWith({ 'api-key': 'na1.abc', 'expected-level': 'standard' })).toEqual({
      written: [],
      found: [expect.stringMatching(/^api-key is only 7 characters long/)]
    });
  });

  it('masks and registers every key, each "name" that looks like one, and the GitHub token, before anything else', () => {
    const token = 'ghs_someTokenOfTheRun000000000000000';
    const pasted = 'Xk4Lm9Qp2Rs7Tv1Wy6Za3Bc8';
    const { written, found } = readWith(
      { keys: `FS_A: admin\n${pasted}: standard`, 'github-token': token },
      { FS_A: ` ${KEY} ` }
    );
    // A "name" that is no variable is that key's own problem, not an input error.
    expect(found).toEqual([]);
    expect(written).toEqual([KEY, pasted]);
    expect(secrets.redact(`${KEY} / ${pasted} / ${token}`)).toBe(
      '[redacted: na1 …0000] / [redacted: keys line 2] / [redacted: github-token]'
    );
  });

  it('neither masks nor redacts a value too short to be a key, so no message is garbled by it', () => {
    const { written, found } = readWith({ 'api-key': 'e', 'expected-level': 'expert' });
    expect(written).toEqual([]);
    expect(found).toEqual([
      'api-key is only 1 character long, too short to be an API key. Paste the whole key as Fullstory showed it.',
      expect.stringMatching(/^expected-level "expert" is not valid\. Use one of standard, architect, admin/)
    ]);
  });

  it.each(['standard', 'ADMIN', ' Architect '])(
    'says a level in api-key (%j) is no key, and neither masks it nor hides the level words of other messages',
    (level) => {
      const { written, found } = readWith({ 'api-key': level, 'expected-level': KEY });
      expect(written).toEqual([]);
      expect(found).toEqual([
        'api-key holds a permission level, not a key: give the key itself there, and the level it must have in expected-level.',
        expect.stringMatching(/^expected-level \(not shown: .*\) is not valid\. Use one of standard, architect, admin /)
      ]);
    }
  );
});

describe('keys', () => {
  const batch = (keys: string) => raw({ 'api-key': '', 'expected-level': '', keys });
  const env = {
    FS_INGEST: ` ${KEY}\n`,
    FS_EXPORT: 'eu1.exportKey000000000000000000',
    FS_PRIVACY: 'na1.privacyKey00000000000000000'
  };

  it('reads one ENV_NAME: level per line, the key from the environment', () => {
    const settings = parseSettings(
      batch('FS_INGEST: standard\n\n# exports\nFS_EXPORT:architect\n  FS_PRIVACY :  ADMIN  '),
      env
    );
    expect(settings.batch).toBe(true);
    expect(settings.keys).toEqual([
      { name: 'FS_INGEST', apiKey: KEY, expectedLevel: 'standard', expectedOrgId: '', problem: undefined },
      { name: 'FS_EXPORT', apiKey: env.FS_EXPORT, expectedLevel: 'architect', expectedOrgId: '', problem: undefined },
      { name: 'FS_PRIVACY', apiKey: env.FS_PRIVACY, expectedLevel: 'admin', expectedOrgId: '', problem: undefined }
    ]);
  });

  it('takes an org id of 32 characters, the most', () => {
    const org = `o_${'ab_'.repeat(10)}`;
    expect(parseSettings(batch(`FS_INGEST: standard ${org}`), env).keys[0]!.expectedOrgId).toBe(org);
  });

  it('lets a line name its own org after the level; a line without one expects expected-org-id', () => {
    const settings = parseSettings(
      {
        ...batch('FS_INGEST: standard o-STAGING-na1\nFS_EXPORT: architect\nFS_PRIVACY: admin   ABC'),
        'expected-org-id': 'o-PROD-na1'
      },
      env
    );
    expect(settings.keys.map((key) => [key.name, key.expectedOrgId])).toEqual([
      ['FS_INGEST', 'o-STAGING-na1'],
      ['FS_EXPORT', 'o-PROD-na1'],
      ['FS_PRIVACY', 'ABC']
    ]);
  });

  it.each([
    ["a key in the org's place", 'FS_INGEST: standard na1.q7ZpL2mRv9TbK4wYc8NdF3hJ6sG0001'],
    ["a key without its realm in the org's place", 'FS_INGEST: standard q7ZpL2mRv9TbK4wYc8NdF3hJ6sG0001'],
    ['an org id longer than any', 'FS_INGEST: standard q7ZpL2mRv9TbK4wYc8NdF3hJ6sG0001aaaaaaaa'],
    ['markup', 'FS_INGEST: standard <b>o-1</b>'],
    ['a third word', 'FS_INGEST: standard o-1 o-2']
  ])('refuses %s after the level, without echoing it', (_what, keys) => {
    const [problem] = problems({ 'api-key': '', 'expected-level': '', keys }, env);
    expect(problem).toMatch(/^keys line 1(: the org id after the level is not valid| is not valid)/);
    for (const word of keys.split(/\s+/).slice(2)) expect(problem).not.toContain(word);
  });

  it('keeps a missing or malformed variable as that key’s own problem, so the others are still checked', () => {
    const settings = parseSettings(batch('FS_INGEST: standard\nFS_MISSING: admin\nFS_SPACED: admin'), {
      ...env,
      FS_SPACED: 'na1.a b'
    });
    expect(settings.keys.map((key) => key.problem === undefined)).toEqual([true, false, false]);
    const problem = (i: number) => asText(settings.keys[i]!.problem!);
    expect(problem(1)).toMatch(
      /^FS_MISSING is not set or is empty in this step's env\. .*secrets\.FS_MISSING.*check that the secret exists under that name.*forks.*Dependabot/
    );
    expect(problem(1)).not.toMatch(/re-run/i);
    expect(problem(2)).toMatch(/^FS_SPACED contains spaces/);
    expect(problem(2)).not.toContain('na1.a b');
  });

  it.each([
    [
      'api-key and keys',
      { 'api-key': KEY, keys: 'FS_INGEST: standard' },
      /^Give either api-key with expected-level, or keys, not both/
    ],
    [
      'expected-level and keys',
      { 'api-key': '', keys: 'FS_INGEST: standard' },
      /^Give either api-key with expected-level, or keys/
    ],
    ['neither', { 'api-key': '', 'expected-level': '' }, /^api-key is empty/]
  ])('refuses %s', (_what, overrides, message) => {
    expect(problems(overrides, env)[0]).toMatch(message);
  });

  it.each([
    [
      'a line without a level',
      'FS_INGEST',
      /^keys line 1 is not valid: "FS_INGEST" has no level after a colon\. Write "FS_INGEST: standard"/
    ],
    ['a key pasted as a name', 'na1.secretKeyValue0000000: standard', /^keys line 1 is not valid/],
    [
      'a bad level',
      'FS_INGEST: owner',
      /^keys line 1: the level of FS_INGEST, "owner" is not valid\. Use one of standard/
    ],
    ['a name twice', 'FS_INGEST: standard\nFS_INGEST: admin', /^keys line 2: FS_INGEST is listed twice/],
    ['a runner variable', 'GITHUB_TOKEN: admin', /^keys line 1: GITHUB_TOKEN is one of the runner's own variables/],
    ['an input of the step', 'INPUT_API-KEY: admin', /^keys line 1 is not valid/],
    ['an input of the step', 'INPUT_KEYS: admin', /^keys line 1: INPUT_KEYS is one of the runner's own variables/],
    // A comment starts at a # after a space: one inside a word is part of it.
    ['a # with no space before it', 'FS_INGEST: standard#x', /^keys line 1: the level of FS_INGEST, "standard#x"/],
    [
      'an org id of 33 characters',
      `FS_INGEST: standard o_${'ab_'.repeat(10)}x`,
      /^keys line 1: the org id after the level/
    ],
    [
      '1001 lines',
      Array.from({ length: 1001 }, (_, i) => `FS_${i}: standard`).join('\n'),
      /^keys lists 1001 keys; at most 1000/
    ],
    ['only comments', '# nothing here', /^keys has no key lines/]
  ])('refuses %s, without echoing the line', (_what, keys, message) => {
    const [problem] = problems({ 'api-key': '', 'expected-level': '', keys }, env);
    expect(problem).toMatch(message);
    expect(problem).not.toContain('secretKeyValue');
  });

  it('names a key by its line, not by a "name" that is no variable and looks like a key pasted in its place', () => {
    const pasted = 'Ab3dEf9GhIjK7LmNoPq2RsTuV';
    const settings = parseSettings(batch(`FS_INGEST: standard\n${pasted}: admin`), env);
    expect(settings.keys.map((key) => key.name)).toEqual(['FS_INGEST', 'keys line 2']);
    expect(asText(settings.keys[1]!.problem!)).toMatch(
      /^keys line 2 names no variable of this step's env, and looks like a key itself/
    );
    expect(JSON.stringify(settings.keys)).not.toContain(pasted);
    // Set, it is a variable, whatever it looks like.
    expect(parseSettings(batch(`${pasted}: admin`), { [pasted]: KEY }).keys[0]!.name).toBe(pasted);
  });

  it.each([
    ['FS_INGEST', false],
    ['FULLSTORY_API_KEY_2', false],
    ['FULLSTORY_API_KEY_PRODUCTION_2', false],
    ['FS_KEY_2024_01', false],
    ['XQ7ZPL2MRV9TBK4WYC8N_DF3HJS6G', true],
    ['qzxvbnmlkjhgfdsapoiuytrewqazsxdc', true],
    ['deadbeefcafe12345678', true],
    ['fs_ingest_eu1', false],
    ['FsIngest', false],
    ['Ab3dEf9GhIjK7LmNoPq2RsTuV', true],
    ['a3f9e2c1b0d84e7fa3f9e2c1b0d84e7f', true],
    ['xq7zpl2mrv9tbk4wyc8', true],
    ['d3adb33fcaf3b4b3', true],
    ['FullstoryIngestKey', true],
    ['K'.repeat(41), true]
  ])('%s looks like a secret: %s', (name, secret) => expect(looksLikeSecret(name)).toBe(secret));

  it('names every bad line at once', () => {
    const found = problems({ 'api-key': '', 'expected-level': '', keys: 'A: x\nB: standard\nC\nD: admin' }, env);
    expect(found.map((problem) => problem.split(/[ :]/).slice(0, 3).join(' '))).toEqual(['keys line 1', 'keys line 3']);
  });
});

describe('a GitHub token given as a key', () => {
  const TOKEN = 'ghs_jobTokenOfThisRun0000000000000000';
  const problemsOf = (inputs: Partial<RawInputs>, env: Record<string, string> = {}) => {
    try {
      return parseSettings(raw({ 'github-token': TOKEN, ...inputs }), env).keys.map((key) =>
        key.problem === undefined ? 'checked' : asText(key.problem)
      );
    } catch (error) {
      return (error as InputError).problems.map(asText);
    }
  };
  const refusal = (name: string) =>
    `${name} holds a GitHub token, not a Fullstory API key, and a GitHub token is never sent to Fullstory. Pass the secret that holds the Fullstory key.`;

  it.each([
    ['the job token itself', TOKEN],
    ['a personal access token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['an OAuth token', 'gho_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a user-to-server token', 'ghu_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a refresh token', 'ghr_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop']
  ])('in api-key (%s) is refused, never sent and never quoted', (_what, value) => {
    const found = problemsOf({ 'api-key': value });
    expect(found).toEqual([refusal('api-key')]);
    expect(found.join('')).not.toContain(value.slice(4, 12));
  });

  it('in a keys variable, by value (gh’s GH_TOKEN, or a copy of github-token under another name)', () => {
    expect(
      problemsOf(
        { 'api-key': '', 'expected-level': '', keys: 'GH_TOKEN: standard\nCOPY: admin\nFS_INGEST: standard' },
        { GH_TOKEN: 'v1.0123456789abcdef0123456789abcdef01234567', COPY: TOKEN, FS_INGEST: KEY }
      )
    ).toEqual([refusal('GH_TOKEN'), refusal('COPY'), 'checked']);
  });
});

describe('an environment that would print the key', () => {
  // As Node reads it: `*` for any run of characters, in any letter case (http* printed the key).
  it.each([
    'http',
    'https',
    'net,tls',
    'fs http2',
    '*',
    'undici',
    'fetch',
    'http*',
    'HTTP*',
    '*s',
    'n*t',
    'fs,Ht*p',
    'stream',
    'St*m',
    '*'.repeat(200)
  ])('NODE_DEBUG=%s is refused before anything is sent', (value) => {
    expect(() => parseSettings(raw(), { NODE_DEBUG: value })).toThrow(/NODE_DEBUG names a network module/);
  });

  it.each(['', 'fs', 'module', 'timer,worker', 'x*y', 'http.', 'h.*', `${'*'.repeat(200)}x`])(
    'NODE_DEBUG=%j is fine',
    (value) => {
      expect(() => parseSettings(raw(), { NODE_DEBUG: value })).not.toThrow();
    }
  );
});
