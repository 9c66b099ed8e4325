// The runner's side: outputs, log lines and annotations, and the job summary. Every message is shown
// through text.ts (asText for the log, asMarkdown for the summary) and written through logger.ts, so
// no piece of a key reaches any of them, and a creator's email reaches only the `email` output.

import type { AlertOutcome } from './alert.js';
import { allPass, overallResult, policyOf, type Checked } from './check.js';
import type { Settings } from './inputs.js';
import type { Logger } from './logger.js';
import { keyLabel, type KeySpec } from './keys.js';
import { HEADER, tableRow } from './table.js';
import { asMarkdown, asText, forOutput, jsonLine, message, q, type Message } from './text.js';
import { advice, describeExpectation, passes, type Result } from './verdict.js';

/**
 * The outputs: each key's first, then the verdict (`matches` and `result`) last and in one write,
 * so that a write that fails part-way (a full disk) never leaves a passing verdict behind a step
 * that fails. False when they could not all be written: said in an annotation, and the step fails,
 * since a step that reads them could not tell.
 */
export function writeOutputs(logger: Logger, settings: Settings, checked: readonly Checked[]): boolean {
  const result = overallResult(checked);
  const results = jsonLine(
    checked.map(({ key, verdict }) => ({
      name: key.name,
      role: verdict.me === undefined ? null : forOutput(verdict.me.role),
      level: verdict.level ?? null,
      matches: verdict.result === 'match',
      result: verdict.result,
      'org-id': verdict.me === undefined ? null : forOutput(verdict.me.orgId)
    }))
  );
  const me = settings.batch ? undefined : checked[0]?.verdict.me;
  const single: [string, string][] =
    me === undefined
      ? []
      : [
          ['role', forOutput(me.role)],
          ['level', checked[0]!.verdict.level!],
          ['org-id', forOutput(me.orgId)],
          ['email', me.email]
        ];
  return written(
    logger,
    [['results', results], ...single],
    [
      ['matches', String(result === 'match')],
      ['result', result]
    ]
  );
}

/** Writes the outputs, the verdict's last; false (and an annotation) when a write failed. */
function written(
  logger: Logger,
  first: readonly (readonly [string, string])[],
  verdict: readonly (readonly [string, string])[]
): boolean {
  try {
    // One write, the verdict last: a write that fails part-way is taken back whole, so not even
    // `results` is left to say a key matched behind a step that fails.
    logger.outputs([...first, ...verdict]);
    return true;
  } catch (error) {
    logger.error(
      asText(
        message`Could not write the step's outputs (${q((error as Error)?.message ?? String(error))}), so the step fails: a step that reads them could not tell the verdict. Check the runner's disk.`
      ),
      'Fullstory API key check: outputs not written'
    );
    return false;
  }
}

export function announceCheck(logger: Logger, settings: Settings): void {
  const org = (key: KeySpec) => (key.expectedOrgId === '' ? '' : ` in org ${asText([q(key.expectedOrgId)])}`);
  const mode = settings.match === 'exact' ? 'exactly' : 'at least';
  if (settings.batch) {
    const list = settings.keys.map((key) => `${key.name}: ${mode} ${key.expectedLevel}${org(key)}`).join(', ');
    const keys = settings.keys.length === 1 ? '1 Fullstory API key' : `${settings.keys.length} Fullstory API keys`;
    logger.info(`Checking ${keys} at ${settings.meUrl.href}: ${list}.`);
  } else {
    const key = settings.keys[0]!;
    logger.info(
      `Checking Fullstory API key ${keyLabel(settings.batch, key)} at ${settings.meUrl.href}: expecting ${describeExpectation(policyOf(settings, key))}${org(key)}.`
    );
  }
}

/** One log line for each pass, one annotation with a title for anything the workflow should see. */
export function announceVerdicts(logger: Logger, settings: Settings, checked: readonly Checked[]): void {
  for (const one of checked) announceVerdict(logger, settings, one);
}

function announceVerdict(logger: Logger, settings: Settings, checked: Checked): void {
  const { key, verdict } = checked;
  const label = keyLabel(settings.batch, key);
  const policy = policyOf(settings, key);
  const expectation = describeExpectation(policy);
  const todo = advice(policy, verdict);
  const about = settings.batch ? `: ${key.name}` : '';
  const problems = asText(verdict.problems.flatMap((problem, i) => (i === 0 ? problem : ['; ', ...problem])));
  switch (verdict.result) {
    case 'match': {
      const me = verdict.me!;
      const org = me.orgId === '' ? [] : message` in org ${q(me.orgId)}`;
      logger.info(asText(message`✅ Key ${label} has role ${q(me.role)}${org}: it matches ${expectation}.`));
      if (verdict.overPrivileged) {
        logger.warning(`Key ${label} matches. ${asText(todo!)}`, `Fullstory API key is over-privileged${about}`);
      }
      return;
    }
    case 'mismatch': {
      const text = `Key ${label} does not match: ${problems}. ${asText(todo!)}`;
      if (passes(settings.failOnMismatch, verdict)) {
        logger.warning(
          `${text} (The step passes because fail-on-mismatch is false.)`,
          `Fullstory API key mismatch${about}`
        );
      } else {
        logger.error(text, `Fullstory API key mismatch${about}`);
      }
      return;
    }
    case 'invalid-key':
      logger.error(`Key ${label}: ${problems} ${asText(todo!)}`, `Fullstory API key rejected${about}`);
      return;
    case 'error':
      if (verdict.inputProblem) {
        logger.error(`Key ${label}: ${problems}`, `Fullstory API key not checked${about}`);
        return;
      }
      // What to do is the cause's (verdict.ts): "re-run" only where a re-run can help.
      logger.error(
        `Key ${label}: ${problems}${todo === undefined ? '' : ` ${asText(todo)}`}`,
        `Fullstory API key could not be verified${about}`
      );
      return;
  }
}

/**
 * Inputs that are not valid: no key is checked, and the run still says so everywhere a verdict
 * goes, so that a step reading `result` after it (`if: always()`) reads `error`, not nothing.
 */
export async function reportInputProblems(logger: Logger, problems: readonly Message[]): Promise<string> {
  logger.failed(problems.map(asText).join('\n'));
  written(
    logger,
    [],
    [
      ['matches', 'false'],
      ['result', 'error']
    ]
  );
  const markdown = [
    'No key was checked: the inputs are not valid.',
    '',
    ...problems.map((problem) => `- ${asMarkdown(problem)}`)
  ].join('\n');
  await writeSummaryText(logger, markdown, '❌ Fullstory API key check: no key was checked (result: error)');
  return markdown;
}

/**
 * The run's verdict in one line, for the top of the summary: whether the step passes, how many
 * keys of how many, and the `result` output.
 */
export function headline(settings: Settings, checked: readonly Checked[]): string {
  const result: Result = overallResult(checked);
  const total = checked.length;
  const matching = checked.filter(({ verdict }) => verdict.result === 'match').length;
  const failing = checked.filter(({ verdict }) => !passes(settings.failOnMismatch, verdict)).length;
  const allowed = total - matching - failing;
  let said: string;
  if (total === 1) {
    said =
      failing === 1
        ? 'the key failed'
        : allowed === 1
          ? 'the key does not match, as fail-on-mismatch allows'
          : 'the key matches';
  } else if (failing > 0) {
    said = `${failing} of ${total} keys failed`;
  } else {
    const also = allowed === 0 ? '' : `, ${allowed} mismatch${allowed === 1 ? '' : 'es'} allowed by fail-on-mismatch`;
    said = `${matching} of ${total} keys match${also}`;
  }
  return `${allPass(settings, checked) ? '✅' : '❌'} Fullstory API key check: ${said} (result: ${result})`;
}

/**
 * GitHub's limits: the runner drops a step summary over 1024 KiB whole ("upload aborted"), and the
 * API refuses an issue or comment body over 65,536 characters. Each budget leaves room for the text
 * around the table, and is counted in UTF-8 bytes, never fewer than characters.
 */
export const SUMMARY_MAX_BYTES = 1000 * 1024;
export const ISSUE_MAX_BYTES = 60_000;

/** The report's Markdown, a row and its problems per key: made once, fitted to each place it goes. */
export interface Report {
  header: string[];
  entries: { index: number; matches: boolean; row: string; problems: string[] }[];
}

const line = (cells: readonly Message[]) => `| ${cells.map((cell) => asMarkdown(cell, { cell: true })).join(' | ')} |`;

export function report(settings: Settings, checked: readonly Checked[]): Report {
  const entries = checked.map((one, index) => {
    const todo = advice(policyOf(settings, one.key), one.verdict);
    // What to do goes after the key's last problem, as in its annotation.
    const notes: Message[] = one.verdict.problems.map((problem, i, all) =>
      todo !== undefined && i === all.length - 1 ? followedBy(problem, todo) : problem
    );
    if (todo !== undefined && notes.length === 0) notes.push(todo);
    return {
      index,
      matches: one.verdict.result === 'match',
      row: line(tableRow(settings, one)),
      problems: notes.map((note) => `- ${asMarkdown(settings.batch ? message`${one.key.name}: ${note}` : note)}`)
    };
  });
  return { header: [line(HEADER.map((title) => [title])), `|${HEADER.map(() => '---').join('|')}|`], entries };
}

/**
 * The table and the problems, as Markdown: for the summary and the alert issue. Over `maxBytes`,
 * keys are left out, those that match first, and a closing line says how many and where they are.
 */
export function fitted({ header, entries }: Report, maxBytes: number = SUMMARY_MAX_BYTES): string {
  const render = (shown: typeof entries, note: string[]) => {
    const problems = shown.flatMap((entry) => entry.problems);
    return [
      ...header,
      ...shown.map((entry) => entry.row),
      ...note,
      ...(problems.length > 0 ? ['', ...problems] : [])
    ].join('\n');
  };
  const whole = render(entries, []);
  if (bytes(whole) <= maxBytes) return whole;

  const NOTE_BYTES = 400;
  let room = maxBytes - bytes(render([], [])) - NOTE_BYTES;
  const shown = [...entries.filter((entry) => !entry.matches), ...entries.filter((entry) => entry.matches)].filter(
    (entry) => {
      const size = bytes(entry.row) + entry.problems.reduce((sum, problem) => sum + bytes(problem) + 1, 1);
      if (size > room) return false;
      room -= size;
      return true;
    }
  );
  shown.sort((a, b) => a.index - b.index);
  const left = entries.length - shown.length;
  const leftMatching = entries.filter((entry) => entry.matches).length - shown.filter((entry) => entry.matches).length;
  const note = asMarkdown(
    message`${left} of ${entries.length} keys are not listed here (${leftMatching} of them match): GitHub limits the size of this report. The step's results output lists every key.`
  );
  return render(shown, ['', note]);
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A problem, then what to do about it, as one sentence after another. */
function followedBy(problem: Message, todo: Message): Message {
  const end = problem.at(-1);
  const closed = typeof end === 'string' && /[.!?]$/.test(end);
  return message`${problem}${closed ? ' ' : '. '}${todo}`;
}

/**
 * The job summary is a report, not the verdict: failing to write it only warns. Its heading is the
 * verdict (headline). A Markdown heading and a blank line, not core.summary's <h3>: an HTML block
 * runs to the next blank line, and would swallow the table into raw text.
 */
export async function writeSummary(logger: Logger, made: Report, heading: string): Promise<void> {
  await writeSummaryText(logger, fitted(made, SUMMARY_MAX_BYTES), heading);
}

async function writeSummaryText(logger: Logger, markdown: string, heading: string): Promise<void> {
  await appendSummary(logger, `### ${asMarkdown([heading])}\n\n${markdown}`);
}

/** Appends to the job summary; a summary that cannot be written only warns. */
async function appendSummary(logger: Logger, markdown: string): Promise<void> {
  try {
    await logger.summary(markdown);
  } catch (error) {
    logger.warning(asText(message`Could not write the job summary: ${String((error as Error)?.message ?? error)}`));
  }
}

/**
 * What became of the alert issue, appended to the job summary once the alert is done (a run
 * cancelled during it keeps the summary written before). The link is built from the run's own
 * variables (alert.ts), never from GitHub's answer.
 */
export async function writeAlertOutcome(logger: Logger, outcome: AlertOutcome): Promise<void> {
  if (outcome.kind === 'none') return;
  let said: string;
  if (outcome.kind === 'failed') {
    said = asMarkdown(message`Alert issue: ${outcome.reason}`);
  } else {
    const issue =
      outcome.url === undefined ? asMarkdown([`#${outcome.number}`]) : `[#${outcome.number}](${outcome.url})`;
    const words: Record<typeof outcome.kind, [string, string]> = {
      opened: ['opened ', ', as the check failed.'],
      commented: ['commented on ', ', which stays open while the check fails.'],
      closed: ['closed ', ', as the keys are healthy again.'],
      joined: ['', ', which another run of this check opened meanwhile.']
    };
    const [before, after] = words[outcome.kind];
    said = `${asMarkdown([`Alert issue: ${before}`])}${issue}${asMarkdown([after])}`;
  }
  // A summary that could not be written has been warned of already: this line only adds to it.
  try {
    await logger.summary(`\n${said}`);
  } catch (error) {
    logger.debug(
      asText(
        message`Could not add the alert issue's outcome to the job summary: ${String((error as Error)?.message ?? error)}`
      )
    );
  }
}
