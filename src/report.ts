// The runner's side: outputs, log lines and annotations, and the job summary. The key never
// reaches any of them, and the creator's email reaches only the `email` output.

import * as core from '@actions/core';
import type { Settings } from './inputs.js';
import { describeExpectation, type Verdict } from './verdict.js';
import { escapeCell, oneLine, quote } from './text.js';

const KEYS_PAGE = 'Settings > Integrations > API Keys';

/**
 * How people recognise a key: Fullstory's settings page lists keys by a short suffix, and keys
 * since 2022 start with their realm. A short value would be half given away by 4 characters.
 */
export function describeKey(apiKey: string): string {
  const realm = /^(na1|eu1)/.exec(apiKey)?.[1];
  const suffix = apiKey.length >= 16 ? `…${apiKey.slice(-4)}` : '…';
  return realm === undefined ? suffix : `${realm} ${suffix}`;
}

export function setOutputs(verdict: Verdict): void {
  core.setOutput('result', verdict.result);
  core.setOutput('matches', String(verdict.result === 'match'));
  if (verdict.me === undefined) return;
  core.setOutput('role', verdict.me.role);
  core.setOutput('level', verdict.level);
  core.setOutput('org-id', verdict.me.orgId);
  // Without GITHUB_OUTPUT, core falls back to a ::set-output command on stdout, which is the log.
  if (process.env.GITHUB_OUTPUT) core.setOutput('email', verdict.me.email);
}

export function announceCheck(settings: Settings): void {
  const org = settings.expectedOrgId === '' ? '' : ` in org ${quote(settings.expectedOrgId)}`;
  core.info(
    `Checking Fullstory API key ${describeKey(settings.apiKey)} at ${settings.meUrl.href}: expecting ${describeExpectation(settings)}${org}.`
  );
}

/** One log line for a pass, one annotation with a title for anything the workflow should see. */
export function announceVerdict(settings: Settings, verdict: Verdict): void {
  const key = describeKey(settings.apiKey);
  const problems = verdict.problems.join('; ');
  switch (verdict.result) {
    case 'match': {
      const me = verdict.me!;
      const org = me.orgId === '' ? '' : ` in org ${quote(me.orgId)}`;
      core.info(`✅ Key ${key} has role ${me.role}${org}: it matches ${describeExpectation(settings)}.`);
      if (verdict.overPrivileged) {
        core.warning(
          `Key ${key} has more privilege than this workflow asked for (${describeExpectation(settings)}). ` +
            `If the workflow does not need it, create a key of the expected level under ${KEYS_PAGE} (least privilege).`,
          { title: 'Fullstory API key is over-privileged' }
        );
      }
      return;
    }
    case 'mismatch': {
      const message = `Key ${key} does not match: ${problems}. Create a key of the right level under ${KEYS_PAGE} and update the secret.`;
      if (settings.failOnMismatch) {
        core.error(message, { title: 'Fullstory API key mismatch' });
      } else {
        core.warning(`${message} (The step passes because fail-on-mismatch is false.)`, {
          title: 'Fullstory API key mismatch'
        });
      }
      return;
    }
    case 'invalid-key':
      core.error(`Key ${key}: ${problems}`, { title: 'Fullstory API key rejected' });
      return;
    case 'error':
      core.error(`Key ${key}: ${problems} The check fails closed; re-run the job once Fullstory is reachable.`, {
        title: 'Fullstory API key could not be verified'
      });
      return;
  }
}

const VERDICT_TEXT: Record<Verdict['result'], string> = {
  match: '✅ match',
  mismatch: '❌ mismatch',
  'invalid-key': '❌ invalid key',
  error: '❌ could not verify'
};

/** The summary table's rows, header first; every cell already escaped. */
export function summaryRows(settings: Settings, verdict: Verdict): string[][] {
  const me = verdict.me;
  const verdictText =
    verdict.result === 'mismatch' && !settings.failOnMismatch ? '⚠️ mismatch (allowed)' : VERDICT_TEXT[verdict.result];
  return [
    ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'],
    [
      describeKey(settings.apiKey),
      me === undefined || me.orgId === '' ? '—' : me.orgId,
      me === undefined ? '—' : me.role,
      verdict.level ?? '—',
      `${settings.expectedLevel} (${settings.match})${settings.expectedOrgId === '' ? '' : `, org ${settings.expectedOrgId}`}`,
      verdictText
    ].map((cell) => escapeCell(cell))
  ];
}

/** The job summary is a report, not the verdict: failing to write it only warns. */
export async function writeSummary(settings: Settings, verdict: Verdict): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    const [header, row] = summaryRows(settings, verdict);
    core.summary
      .addHeading('Fullstory API key check', 3)
      .addTable([header!.map((data) => ({ data, header: true })), row!]);
    if (verdict.problems.length > 0) core.summary.addList(verdict.problems.map((problem) => escapeCell(problem)));
    await core.summary.write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${oneLine(String((error as Error)?.message ?? error))}`);
  }
}
