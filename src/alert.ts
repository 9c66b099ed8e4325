// The alert issue for scheduled checks: a failed scheduled workflow notifies only whoever last
// edited its cron line, so a failing check opens (or comments on) one issue, and a healthy one
// closes it. Loaded only when alert-issue is on. It runs after the verdict, on a clock of its own.

import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { Deadline, TimeUp } from './deadline.js';
import type { Settings } from './inputs.js';
import { asText, message, q } from './text.js';
import type { Result } from './verdict.js';

export const ALERT_LABEL = 'fullstory-key-check';
export const ALERT_TITLE = 'Fullstory API key check is failing';
/** All of the alert issue's calls to GitHub's API together, after the check's own timeout-seconds. */
export const ALERT_TIMEOUT_SECONDS = 30;

/** `table` must already be safe Markdown: it is posted as it is. The verdict is never changed here. */
export async function updateAlertIssue(
  { githubToken: token, redactor }: Pick<Settings, 'githubToken' | 'redactor'>,
  result: Result,
  table: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<void> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) {
    core.warning('alert-issue is on, but GITHUB_REPOSITORY is not set, so there is no repository to open an issue in.');
    return;
  }
  const run = `[run ${env.GITHUB_RUN_ID ?? ''}](${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''})`;
  const octokit = getOctokit(token);
  const deadline = new Deadline(ALERT_TIMEOUT_SECONDS * 1000);
  // Every call carries the signal (so undici drops its socket) and is raced (so nothing outlasts it).
  const request = { signal: deadline.signal };
  try {
    const { data } = await deadline.race(
      octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: ALERT_LABEL, per_page: 100, request })
    );
    const open = data.find((issue) => issue.pull_request === undefined && issue.title === ALERT_TITLE);
    if (result !== 'match') {
      const report = `The Fullstory API key check failed (${result}) in ${run}.\n\n${table}`;
      if (open === undefined) {
        const body = `${report}\n\nEach failing run comments here; the first healthy run closes this issue.`;
        const created = await deadline.race(
          octokit.rest.issues.create({ owner, repo, title: ALERT_TITLE, body, labels: [ALERT_LABEL], request })
        );
        core.info(`Opened alert issue #${created.data.number}.`);
      } else {
        await deadline.race(
          octokit.rest.issues.createComment({ owner, repo, issue_number: open.number, body: report, request })
        );
        core.info(`Commented on alert issue #${open.number}.`);
      }
    } else if (open !== undefined) {
      const body = `The Fullstory API keys are healthy again in ${run}.\n\n${table}`;
      await deadline.race(octokit.rest.issues.createComment({ owner, repo, issue_number: open.number, body, request }));
      await deadline.race(
        octokit.rest.issues.update({
          owner,
          repo,
          issue_number: open.number,
          state: 'closed',
          state_reason: 'completed',
          request
        })
      );
      core.info(`Closed alert issue #${open.number}: the keys are healthy again.`);
    }
  } catch (error) {
    // GitHub's answer is remote text: it may echo the token, or a key from the table.
    const { status, message: said } = error as { status?: unknown; message?: unknown };
    core.warning(
      error instanceof TimeUp || deadline.passed
        ? `alert-issue: GitHub's API did not answer within ${ALERT_TIMEOUT_SECONDS} s, so the alert issue was not updated. The check itself is unaffected.`
        : status === 403
          ? 'alert-issue: github-token may not write issues (HTTP 403). Give the job `permissions: issues: write`. The check itself is unaffected.'
          : asText(
              message`alert-issue: could not update the alert issue (${q(redactor.redact(String(said ?? error)))}). The check itself is unaffected.`
            )
    );
  } finally {
    deadline.dispose();
  }
}
