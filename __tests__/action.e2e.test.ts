// The committed dist/index.js, run as the runner runs it (a child process on Node 24, INPUT_*
// variables, the GITHUB_* files), against the local Fullstory emulator: what only the bundle can
// show. Every rule of the verdict is tested on the source in action.test.ts and main.test.ts.

import { expect, it } from '@jest/globals';
import { useEmulator } from './helpers/emulator.js';
import { annotations, runAction } from './helpers/run-action.js';
import { KEY, expectNoLeak, expectVerdict, identity, repeat } from './helpers/assertions.js';
import { renderGfm } from './helpers/gfm.js';
import { describeWith } from './helpers/runtimes.js';

const fullstory = useEmulator();

describeWith({ node24: true, commands: ['cmark-gfm'] }, 'the bundle, as the runner runs it', () => {
  it('a match: exit 0, the key masked before anything else, outputs in GITHUB_OUTPUT, a rendered summary, no leak with debug logging', async () => {
    const run = await runAction(
      { 'api-key': ` ${KEY.ARCHITECT}\n`, 'expected-level': 'architect', 'api-url': fullstory.url },
      { env: { RUNNER_DEBUG: '1' } }
    );
    expectVerdict(run, 'match', 0);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${KEY.ARCHITECT}`);
    expect(run.stdout).toContain('::debug::');
    expect(run.outputs).toEqual({
      result: 'match',
      matches: 'true',
      results: expect.any(String) as unknown as string,
      role: 'ARCHITECT',
      level: 'architect',
      'org-id': identity(KEY.ARCHITECT).orgId,
      email: identity(KEY.ARCHITECT).email
    });
    expect(fullstory.requests[0]!.headers).toMatchObject({
      authorization: `Basic ${KEY.ARCHITECT}`,
      'user-agent': expect.stringMatching(/^fullstory-key-check\/\d+\.\d+\.\d+/) as unknown as string
    });
    const rendered = renderGfm(run.summary);
    expect(rendered.tags.slice(0, 2)).toEqual(['h3', 'table']);
    expect(rendered.tables[0]![1]).toEqual([
      'na1 …0002',
      'o-DEMO-na1',
      'ARCHITECT',
      'architect',
      'architect (exact)',
      '✅ match'
    ]);
    expectNoLeak(run, KEY.ARCHITECT);
  });

  it('a mismatch: exit 1 and an error annotation the runner reads', async () => {
    const run = await runAction({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'api-url': fullstory.url });
    expectVerdict(run, 'mismatch', 1);
    expect(annotations(run.stdout)).toEqual([
      expect.objectContaining({ level: 'error', title: 'Fullstory API key mismatch' })
    ]);
    expectNoLeak(run, KEY.ADMIN);
  });

  it('inputs that are not valid: exit 1, result error, one annotation', async () => {
    const run = await runAction({ 'api-key': '', 'expected-level': 'standard', 'api-url': fullstory.url });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout).map((note) => note.level)).toEqual(['error']);
    expect(fullstory.requests).toEqual([]);
  });

  it('the process ends by timeout-seconds with a verdict, whatever a server that drips its headers still holds open', async () => {
    fullstory.script(...repeat(3, { status: 200, body: identity(KEY.USER), dripHeaders: { intervalMs: 200 } }));
    const run = await runAction({
      'api-key': KEY.USER,
      'expected-level': 'standard',
      'api-url': fullstory.url,
      'timeout-seconds': '1'
    });
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/no answer within timeout-seconds \(1 s/);
    // Node's start and the runner's bookkeeping aside, the step ends within its budget.
    expect(run.ms).toBeLessThan(1000 + 1500);
  });

  it("the creator's email, echoed in role as a URL, HTML or Markdown writes it, reaches neither the log nor the summary", async () => {
    // What a reader makes of the text: entities, backslashes (quoted values double them) and %XX undone.
    const read = (text: string) =>
      text
        .replace(/&commat;/g, '@')
        .replace(/\\+(?=[&%])/g, '')
        .replace(/(%[\da-f]{2})+/gi, (run) => decodeURIComponent(run));
    for (const [email, echo] of [
      ['jürgen.müller@firma.de', encodeURIComponent('jürgen.müller@firma.de')],
      ['jürgen.müller@firma.de', 'jürgen.müller&commat;firma.de'],
      // Markdown's escapes of & and %, where a backslash before either could also start an escape
      ['t&m%j&r%y@c.io', 't\\&m\\%j\\&r\\%y@c.io']
    ] as const) {
      fullstory.script({ status: 200, body: { email, orgId: 'o-1', role: `by ${echo}` } });
      const run = await runAction({ 'api-key': KEY.ADMIN, 'expected-level': 'standard', 'api-url': fullstory.url });
      expectVerdict(run, 'mismatch', 1);
      for (const text of [run.stdout, run.summary]) {
        for (let i = 0; i + 8 <= email.length; i += 1) expect(read(text)).not.toContain(email.slice(i, i + 8));
      }
    }
  });

  it('a proxy user shorter than a key is no secret: USER is not redacted out of the role', async () => {
    // api-url is loopback, so the proxy is not used; its variables are read all the same.
    const proxy = 'http://user@proxy.example:3128';
    const run = await runAction(
      { 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': fullstory.url },
      { env: { HTTP_PROXY: proxy, HTTPS_PROXY: proxy } }
    );
    expectVerdict(run, 'match', 0);
    expect(run.outputs.role).toBe('USER');
    expect(run.stdout + run.summary).not.toContain('redacted');
  });

  it('NODE_DEBUG as Node reads it (HTTP*): refused before any request, the alert issue left alone too', async () => {
    // GITHUB_API_URL is the emulator as well: a request for the alert issue would be counted there.
    const run = await runAction(
      {
        'api-key': KEY.USER,
        'expected-level': 'standard',
        'api-url': fullstory.url,
        'alert-issue': 'true',
        'github-token': 'ghs_TokenOfThisRun1234567890abcdefABCD'
      },
      { env: { NODE_DEBUG: 'HTTP*', GITHUB_API_URL: fullstory.url, GITHUB_REPOSITORY: 'acme/shop' } }
    );
    expectVerdict(run, 'error', 1);
    expect(annotations(run.stdout)[0]!.message).toMatch(/Unset NODE_DEBUG for this step/);
    expect(fullstory.requests).toEqual([]);
    expect(run.stderr).not.toMatch(/authorization|TokenOfThisRun/i);
  });

  it("a proxy's percent-encoded password is masked as written and as the proxy is sent it, decoded", async () => {
    const run = await runAction(
      {
        'api-key': KEY.USER,
        'expected-level': 'standard',
        'api-url': 'https://api.fullstory.test',
        'max-attempts': '1'
      },
      { env: { HTTPS_PROXY: 'http://alice:p%40ssw0rd%21x@127.0.0.1:9' } }
    );
    expectVerdict(run, 'error', 1);
    // As written (the command escapes its % as %25), and as sent.
    expect(run.stdout).toContain('::add-mask::alice:p%2540ssw0rd%2521x');
    expect(run.stdout).toContain('::add-mask::alice:p@ssw0rd!x');
  });
});
