// Orchestrates one run: settings, GET /me for every key, verdicts, report, and the alert issue.
// Every failure ends as a clear message and exit code 1; the step passes only when every key
// verifiably matches (or mismatches in a way the workflow allowed). The run's deadline starts here:
// timeout-seconds bounds the checks of all keys together, so the report is always written in time.
// `run` takes what it talks to (the runner, the HTTP client, the clock, GitHub's fetch and the alert
// issue's budget), so that its branches are tested in the process; by default, the real ones.

import {
  InputError,
  INPUT_NAMES,
  debugsNetwork,
  keyVariables,
  looksLikeSecret,
  pastedKeys,
  maskable,
  parseBoolean,
  parseSettings
} from './inputs.js';
import type { Environment, InputName, RawInputs, Settings } from './inputs.js';
import { allPass, checkKeys, overallResult } from './check.js';
import { realClock, type Clock } from './clock.js';
import { Deadline } from './deadline.js';
import { TLS_KEPT, keepTlsVerified, proxyCredentials, requestOnce, type Send } from './fullstory.js';
import { describeKey } from './keys.js';
import { createLogger, type Logger } from './logger.js';
import { secrets } from './redact.js';
import {
  announceCheck,
  announceVerdicts,
  reportInputProblems,
  writeOutputs,
  ISSUE_MAX_BYTES,
  fitted,
  headline,
  report,
  writeAlertOutcome,
  writeSummary
} from './report.js';
import { coreRunner, type Runner } from './runner.js';
import { asText, message, q, type Message } from './text.js';
import type { Result } from './verdict.js';

/** All of the alert issue's calls to GitHub's API together, after the check's own timeout-seconds. */
export const ALERT_TIMEOUT_SECONDS = 30;

export interface Dependencies {
  runner: Runner;
  env: Environment;
  /** One request to GET /me: the HTTP client. */
  send: Send;
  clock: Clock;
  /** What GitHub's API is called with, for the alert issue; by default httpClientFetch (alert.ts). */
  githubFetch?: typeof globalThis.fetch;
  alertTimeoutMs: number;
}

export async function run(given: Partial<Dependencies> = {}): Promise<void> {
  const env = given.env ?? process.env;
  const deps: Dependencies = {
    runner: coreRunner(env),
    env,
    send: requestOnce,
    clock: realClock,
    alertTimeoutMs: ALERT_TIMEOUT_SECONDS * 1000,
    ...given
  };
  const logger = createLogger(deps.runner);
  if (keepTlsVerified(deps.env)) logger.warning(TLS_KEPT);
  const raw = readInputs(deps.runner, deps.env);
  let settings: Settings;
  try {
    settings = parseWithSpelling(raw, deps.env);
  } catch (error) {
    if (!(error instanceof InputError)) {
      logger.failed(unexpected(error));
      return;
    }
    const problems = await reportInputProblems(logger, error.problems);
    // A deleted or renamed secret is what a scheduled check exists to catch: the alert issue is
    // opened for inputs that are not valid too, when alert-issue itself can be read; never with
    // NODE_DEBUG refused, which would print its request, the token among it.
    const token = raw['github-token'].trim();
    if (parseBoolean(raw['alert-issue'], false) === true && token !== '' && !debugsNetwork(deps.env)) {
      await alert(logger, deps, { token, checkName: raw['check-name'].trim(), result: 'error', table: problems });
    }
    return;
  }
  const deadline = new Deadline(settings.timeoutMs, deps.clock);
  try {
    announceCheck(logger, settings);
    const checked = await checkKeys(settings, deadline, deps.send);
    for (const { key, verdict, attempts } of checked) {
      logger.debug(`${key.name}: ${verdict.result} after ${attempts} request(s).`);
    }
    // The verdict's annotations and summary first: they stand whatever the outputs file does.
    announceVerdicts(logger, settings, checked);
    const made = report(settings, checked);
    await writeSummary(logger, made, headline(settings, checked));
    const outputsWritten = writeOutputs(logger, settings, checked);
    if (settings.alertIssue) {
      await alert(logger, deps, {
        token: settings.githubToken,
        checkName: settings.checkName,
        result: overallResult(checked),
        table: fitted(made, ISSUE_MAX_BYTES)
      });
    }
    if (!outputsWritten || !allPass(settings, checked)) logger.failStep();
  } catch (error) {
    logger.failed(unexpected(error));
  } finally {
    deadline.dispose();
  }
}

/**
 * Reads the inputs from the runner. Every key is masked, and registered with the run's secrets,
 * before anything else can be printed: the runner masks the secrets it passes in, but not a key that
 * reached the step by other means, and it masks only its log.
 */
export function readSettings(runner: Runner, env: Environment): Settings {
  return parseWithSpelling(readInputs(runner, env), env);
}

/**
 * An input written with `_` (api_key) or without its dash is no input to the runner: it passes the
 * value as INPUT_API_KEY, which getInput('api-key') never reads, so `api-key` would look empty and
 * be blamed on the secret. Each such variable, by the input it was meant to be.
 */
export function misspelledInputs(env: Environment): { given: string; meant: InputName; value: string }[] {
  const byLetters = new Map(INPUT_NAMES.map((name) => [name.replace(/-/g, '').toUpperCase(), name]));
  return Object.keys(env).flatMap((variable) => {
    const given = /^INPUT_(.+)$/i.exec(variable)?.[1]?.toLowerCase();
    if (given === undefined || (INPUT_NAMES as readonly string[]).includes(given)) return [];
    const meant = byLetters.get(given.replace(/[-_]/g, '').toUpperCase());
    return meant === undefined ? [] : [{ given, meant, value: env[variable] ?? '' }];
  });
}

/**
 * The settings, with every input written with `_` named, and never used: the value it holds stands
 * in for its input only while the others are read, so that the problem reported is the spelling,
 * not an empty `api-key` that forks or Dependabot are blamed for.
 */
function parseWithSpelling(raw: RawInputs, env: Environment): Settings {
  const spelled = misspelledInputs(env);
  if (spelled.length === 0) return parseSettings(raw, env);
  const problems: Message[] = spelled.map(
    ({ given, meant }) =>
      message`${given} is not an input of this action, so its value was not used: write ${meant} (inputs are spelled with -, not _).`
  );
  const filled = { ...raw };
  for (const { meant, value } of spelled) if (filled[meant].trim() === '') filled[meant] = value;
  try {
    parseSettings(filled, env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
  }
  throw new InputError(problems);
}

/** The runner's inputs, every key in them masked and registered first (see readSettings). */
export function readInputs(runner: Runner, env: Environment): RawInputs {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, runner.getInput(name)])) as RawInputs;
  const hide = (secret: string | undefined, label = describeKey(secret ?? '')) => {
    if (!secret || !maskable(secret)) return;
    runner.setSecret(secret);
    secrets.add({ value: secret, label });
  };
  // An input spelled with `_` holds what its input would: a key in api_key is a key.
  const spelled = misspelledInputs(env);
  const given = (name: InputName) => [raw[name], ...spelled.filter(({ meant }) => meant === name).map((s) => s.value)];
  for (const apiKey of given('api-key')) hide(apiKey.trim());
  for (const keys of given('keys')) {
    for (const { name, line } of keyVariables(keys)) {
      hide(env[name]?.trim());
      // A "name" that is no variable and looks like a key may be the key itself, pasted in its place.
      if (env[name] === undefined && looksLikeSecret(name)) hide(name, `keys line ${line}`);
    }
    for (const { value, line } of pastedKeys(keys)) hide(value, `keys line ${line}`);
  }
  for (const token of given('github-token').slice(1)) {
    if (token.trim() !== '') secrets.add({ value: token.trim(), label: 'github-token' });
  }
  // The runner masks github.token itself; it is registered so that no echo of it is shown anywhere.
  const token = raw['github-token'].trim();
  if (token !== '') secrets.add({ value: token, label: 'github-token' });
  for (const value of proxyCredentials(env)) {
    runner.setSecret(value);
    secrets.add({ value, label: "the proxy's user and password" });
  }
  return raw;
}

/**
 * The alert issue, after the verdict, which nothing in it may change: not a proxy variable Octokit
 * cannot read (it fails as it loads), not a crash deep in its HTTP client (undici can throw where
 * no promise catches it). Octokit is loaded only here, so the plain check does not pay for it.
 */
async function alert(
  logger: Logger,
  deps: Dependencies,
  { token, checkName, result, table }: { token: string; checkName: string; result: Result; table: string }
): Promise<void> {
  const warn = (error: unknown) => {
    const reason = message`could not update the alert issue (${q(error instanceof Error ? error.message : String(error))}).`;
    logger.warning(asText(message`alert-issue: ${reason} The check itself is unaffected.`));
    return reason;
  };
  process.on('uncaughtException', warn);
  try {
    const { updateAlertIssue } = await import('./alert.js');
    const outcome = await updateAlertIssue({
      logger,
      token,
      checkName,
      result,
      table,
      env: deps.env,
      clock: deps.clock,
      timeoutMs: deps.alertTimeoutMs,
      fetch: deps.githubFetch
    });
    // After the summary, which a run cancelled during the alert has already written.
    await writeAlertOutcome(logger, outcome);
  } catch (error) {
    await writeAlertOutcome(logger, { kind: 'failed', reason: warn(error) });
  } finally {
    process.off('uncaughtException', warn);
  }
}

/** A bug, not a verdict: still one line, without a stack trace, and the step fails closed. */
function unexpected(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return asText(message`Unexpected error, so the key is not verified: ${text}`);
}
