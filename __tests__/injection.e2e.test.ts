// Values from the API are data, never commands: the runner parses workflow commands from stdout
// line by line. (What the summary and the alert issue render is in report.e2e.test.ts.)

import { expect, it } from '@jest/globals';
import { useEmulator } from './helpers/emulator.js';
import { runAction } from './helpers/run-action.js';
import { KEY, expectNoLeak } from './helpers/assertions.js';
import { describeWith } from './helpers/runtimes.js';

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

/** The only workflow commands the action may issue: its own, each at the start of a line it wrote. */
function expectOnlyOwnCommands(stdout: string): void {
  const commands = stdout.split('\n').filter((line) => line.startsWith('::'));
  const names = commands.map((line) => /^::([a-z-]+)/.exec(line)?.[1]);
  for (const name of names) expect(['add-mask', 'debug', 'error', 'warning']).toContain(name);
  expect(commands.filter((line) => line.startsWith('::add-mask::'))).toEqual([`::add-mask::${KEY.USER}`]);
  expect(stdout).not.toMatch(/^::(set-output|stop-commands|notice)/m);
  expect(stdout).not.toMatch(/^::error title=pwned/m);
}

describeWith({ node24: true }, 'workflow-command injection', () => {
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
