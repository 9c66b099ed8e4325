// The runner's side: outputs, log lines and annotations, and the job summary. No key reaches any
// of them, and a creator's email reaches only the single-key `email` output.

import * as core from '@actions/core';
import { overallResult, type Checked } from './check.js';
import { KEYS_PAGE } from './fullstory.js';
import type { Settings } from './inputs.js';
import { HEADER, keyLabel, tableRow } from './table.js';
import { escapeCell, oneLine, quote } from './text.js';
import { describeExpectation, passes } from './verdict.js';

export function setOutputs(settings: Settings, checked: readonly Checked[]): void {
  const result = overallResult(checked);
  core.setOutput('result', result);
  core.setOutput('matches', String(result === 'match'));
  core.setOutput(
    'results',
    JSON.stringify(
      checked.map(({ key, verdict }) => ({
        name: key.name,
        role: verdict.me?.role ?? null,
        level: verdict.level ?? null,
        matches: verdict.result === 'match',
        result: verdict.result,
        'org-id': verdict.me?.orgId ?? null
      }))
    )
  );
  const me = settings.batch ? undefined : checked[0]?.verdict.me;
  if (me === undefined) return;
  core.setOutput('role', me.role);
  core.setOutput('level', checked[0]!.verdict.level);
  core.setOutput('org-id', me.orgId);
  // Without GITHUB_OUTPUT, core falls back to a ::set-output command on stdout, which is the log.
  if (process.env.GITHUB_OUTPUT) core.setOutput('email', me.email);
}

export function announceCheck(settings: Settings): void {
  const org = settings.expectedOrgId === '' ? '' : ` in org ${quote(settings.expectedOrgId)}`;
  const mode = settings.match === 'exact' ? 'exactly' : 'at least';
  if (settings.batch) {
    const list = settings.keys.map((key) => `${key.name}: ${mode} ${key.expectedLevel}`).join(', ');
    core.info(`Checking ${settings.keys.length} Fullstory API keys at ${settings.meUrl.href}${org}: ${list}.`);
  } else {
    const [key] = settings.keys;
    const checked = { key: key! };
    core.info(
      `Checking Fullstory API key ${keyLabel(settings, checked)} at ${settings.meUrl.href}: expecting ${describeExpectation({ expectedLevel: key!.expectedLevel, match: settings.match })}${org}.`
    );
  }
}

/** One log line for each pass, one annotation with a title for anything the workflow should see. */
export function announceVerdicts(settings: Settings, checked: readonly Checked[]): void {
  for (const one of checked) announceVerdict(settings, one);
}

function announceVerdict(settings: Settings, checked: Checked): void {
  const { key, verdict } = checked;
  const label = keyLabel(settings, checked);
  const expectation = describeExpectation({ expectedLevel: key.expectedLevel, match: settings.match });
  const about = settings.batch ? `: ${key.name}` : '';
  const problems = verdict.problems.join('; ');
  switch (verdict.result) {
    case 'match': {
      const me = verdict.me!;
      const org = me.orgId === '' ? '' : ` in org ${quote(me.orgId)}`;
      core.info(`✅ Key ${label} has role ${me.role}${org}: it matches ${expectation}.`);
      if (verdict.overPrivileged) {
        core.warning(
          `Key ${label} has more privilege than this workflow asked for (${expectation}). ` +
            `If the workflow does not need it, create a key of the expected level under ${KEYS_PAGE} (least privilege).`,
          { title: `Fullstory API key is over-privileged${about}` }
        );
      }
      return;
    }
    case 'mismatch': {
      const message = `Key ${label} does not match: ${problems}. Create a key of the right level under ${KEYS_PAGE} and update the secret.`;
      if (passes(settings.failOnMismatch, verdict)) {
        core.warning(`${message} (The step passes because fail-on-mismatch is false.)`, {
          title: `Fullstory API key mismatch${about}`
        });
      } else {
        core.error(message, { title: `Fullstory API key mismatch${about}` });
      }
      return;
    }
    case 'invalid-key':
      core.error(`Key ${label}: ${problems}`, { title: `Fullstory API key rejected${about}` });
      return;
    case 'error':
      core.error(`Key ${label}: ${problems} The check fails closed; re-run the job once the key can be verified.`, {
        title: `Fullstory API key could not be verified${about}`
      });
      return;
  }
}

/** The table and the problems, as Markdown with every cell escaped: for the summary and the alert issue. */
export function summaryMarkdown(settings: Settings, checked: readonly Checked[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => escapeCell(cell)).join(' | ')} |`;
  const problems = checked.flatMap(({ key, verdict }) =>
    verdict.problems.map((problem) => `- ${settings.batch ? `${escapeCell(key.name)}: ` : ''}${escapeCell(problem)}`)
  );
  return [
    line(HEADER),
    `|${HEADER.map(() => '---').join('|')}|`,
    ...checked.map((one) => line(tableRow(settings, one))),
    ...(problems.length > 0 ? ['', ...problems] : [])
  ].join('\n');
}

/** The job summary is a report, not the verdict: failing to write it only warns. */
export async function writeSummary(settings: Settings, checked: readonly Checked[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary
      .addHeading('Fullstory API key check', 3)
      .addRaw(summaryMarkdown(settings, checked), true)
      .write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${oneLine(String((error as Error)?.message ?? error))}`);
  }
}
