import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDefaults } from './action-yml.js';

// What a run of the action left behind, read as the runner reads it: the exit code, the streams,
// the outputs file and the summary; and the runner's readings of workflow commands.

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Every file the action could write, and its streams, as one text: for leak checks. */
  everything: string;
  ms: number;
}

/** GITHUB_OUTPUT's file-command format: `name<<delimiter`, the value, the delimiter. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[name!] = value!;
  }
  return outputs;
}

/** stdout without the one line allowed to carry the key: the command that masks it. */
export function withoutMaskCommand(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The runner's unescaping of a workflow command's data and properties. */
function unescape(text: string): string {
  return text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/** Workflow commands the runner would turn into annotations: `::error title=T::message`, unescaped. */
export function annotations(stdout: string): { level: string; title?: string; message: string }[] {
  const found = [];
  for (const [, level, props, message] of stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)) {
    const title = /title=([^,]*)/.exec(props ?? '')?.[1];
    found.push({
      level: level!,
      title: title === undefined ? undefined : unescape(title),
      message: unescape(message!)
    });
  }
  return found;
}

/**
 * What the runner hands a step: a temporary folder with the empty GITHUB_* command files, and the
 * environment naming them, with every input as INPUT_<NAME> (action.yml's defaults filled in).
 */
export function runnerFiles(inputs: Record<string, string>): {
  dir: string;
  files: Record<'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_ENV' | 'GITHUB_STATE' | 'GITHUB_PATH', string>;
  env: Record<string, string>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'fs-key-check-'));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_PATH: join(dir, 'path')
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env: Record<string, string> = { RUNNER_TEMP: dir, ...files };
  for (const [name, value] of Object.entries(withDefaults(inputs))) env[`INPUT_${name.toUpperCase()}`] = value;
  return { dir, files, env };
}
