// Values from the API are data, never markup or commands: the runner parses workflow commands
// from stdout line by line, and renders the job summary as Markdown with HTML.

import { describe, expect, it } from '@jest/globals';
import { useEmulator } from './helpers/emulator.js';
import { runAction } from './helpers/run-action.js';
import { KEY, expectNoLeak } from './helpers/assertions.js';

const fullstory = useEmulator();

const COMMANDS = [
  '\n::set-output name=result::match',
  '\r\n::add-mask::o',
  '\n::error title=pwned::injected',
  '\n::stop-commands::token',
  '%0A::warning::escaped-newline',
  '\u2028::notice::line-separator'
];
const payload = COMMANDS.join('');
const MARKUP = '<img src=x onerror=alert(1)> | **bold** [link](https://evil.example) `code` <!-- ';

/**
 * The summary's text with its own structure taken out: the heading tag and the table's column
 * separators. Every table line must keep exactly its 6 columns: no value can forge a cell or a row.
 */
function summaryText(summary: string): string {
  return summary
    .replace(/<\/?h3>/g, '')
    .split('\n')
    .map((line) => {
      if (!line.startsWith('|')) return line;
      expect(line.split('|')).toHaveLength(8);
      return line.split('|').join(' ');
    })
    .join('\n');
}

/** The only workflow commands the action may issue: its own, each at the start of a line it wrote. */
function expectOnlyOwnCommands(stdout: string): void {
  const commands = stdout.split('\n').filter((line) => line.startsWith('::'));
  const names = commands.map((line) => /^::([a-z-]+)/.exec(line)?.[1]);
  for (const name of names) expect(['add-mask', 'debug', 'error', 'warning']).toContain(name);
  expect(commands.filter((line) => line.startsWith('::add-mask::'))).toEqual([`::add-mask::${KEY.USER}`]);
  expect(stdout).not.toMatch(/^::(set-output|stop-commands|notice)/m);
  expect(stdout).not.toMatch(/^::error title=pwned/m);
}

describe('workflow-command injection', () => {
  it.each([
    ['a 401 message', { status: 401, body: { code: 'unauthorized', message: `bad key${payload}` } }],
    ['a 403 code', { status: 403, body: { code: `forbidden${payload}` } }],
    ['a role', { status: 200, body: { role: `ADMIN${payload}`, orgId: 'o-1', email: 'e@example.com' } }],
    ['an orgId', { status: 200, body: { role: 'USER', orgId: `o-1${payload}`, email: 'e@example.com' } }],
    ['an email', { status: 200, body: { role: 'USER', orgId: 'o-1', email: `e@example.com${payload}` } }]
  ])('in %s', async (_where, behaviour) => {
    fullstory.script(behaviour);
    const run = await runAction(
      { 'api-key': KEY.USER, 'expected-level': 'standard', 'expected-org-id': 'o-1', 'api-url': fullstory.url },
      { env: { RUNNER_DEBUG: '1' } }
    );
    expectOnlyOwnCommands(run.stdout);
    // The outputs are whatever /me said, and result is the action's own verdict.
    expect(['invalid-key', 'mismatch', 'match']).toContain(run.outputs.result);
    expect(run.outputs.result === 'match').toBe(run.code === 0);
    expectNoLeak(run, KEY.USER, [`e@example.com${payload}`, 'e@example.com']);
  });

  it('in a redirect Location', async () => {
    fullstory.script({ status: 302, headers: { location: `https://x.example/%0A::set-output name=result::match` } });
    const run = await runAction({ 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': fullstory.url });
    expectOnlyOwnCommands(run.stdout);
    expect(run.outputs.result).toBe('error');
  });
});

describe('job summary injection', () => {
  it.each([
    ['role', { role: MARKUP, orgId: 'o-1' }],
    ['orgId', { role: 'USER', orgId: MARKUP }]
  ])('markup in %s is shown as text', async (_field, body) => {
    fullstory.script({ status: 200, body: { ...body, email: 'e@example.com' } });
    const run = await runAction({ 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': fullstory.url });
    // Everything but the action's own structure is inert text.
    const text = summaryText(run.summary);
    expect(text).not.toMatch(/[<>|`[\]*]/);
    expect(text).toContain(
      '&lt;img src=x onerror=alert(1)&gt; &#124; &#42;&#42;bold&#42;&#42; &#91;link&#93;(https://evil.example) &#96;code&#96; &lt;!--'
    );
    expect(run.summary.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(3);
  });

  it('an error message from the API is escaped in the summary too', async () => {
    fullstory.script({ status: 401, body: { message: `${MARKUP}\n| a | b |\n|---|---|` } });
    const run = await runAction({ 'api-key': KEY.USER, 'expected-level': 'standard', 'api-url': fullstory.url });
    expect(run.outputs.result).toBe('invalid-key');
    const text = summaryText(run.summary);
    expect(text).not.toMatch(/[<>|`[\]*]/);
    expect(run.summary.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(3);
  });
});
