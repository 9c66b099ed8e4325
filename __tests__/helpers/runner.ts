// A runner that records what the action does to it, for running main.ts's orchestration in the
// test's own process: the inputs as the runner passes them (action.yml's defaults where none is
// given), and every secret, output, log line, annotation and summary the action writes.

import type { Runner } from '../../src/runner.js';
import { withDefaults } from './action-yml.js';

export interface Annotation {
  level: 'warning' | 'error';
  title?: string;
  message: string;
}

export interface RecordingRunner extends Runner {
  secrets: string[];
  outputs: Record<string, string>;
  /** Every line written to the log, debug lines included, in order. */
  log: string[];
  annotations: Annotation[];
  summary: string;
  failed: boolean;
  /** Everything the action wrote, as one text: for leak checks. */
  everything(): string;
}

export function recordingRunner(
  inputs: Record<string, string>,
  options: {
    outputsArePrivate?: boolean;
    summary?: 'ok' | 'none' | 'fails';
    /** Whether a write of outputs with these names fails (a full disk). */
    outputsFail?: (names: string[]) => boolean;
  } = {}
): RecordingRunner {
  const values = withDefaults(inputs);
  const runner: RecordingRunner = {
    secrets: [],
    outputs: {},
    log: [],
    annotations: [],
    summary: '',
    failed: false,
    outputsArePrivate: options.outputsArePrivate ?? true,
    // As @actions/core's getInput: trimmed.
    getInput: (name) => (values[name] ?? '').trim(),
    setSecret: (secret) => void runner.secrets.push(secret),
    setOutputs(outputs) {
      if (options.outputsFail !== undefined && options.outputsFail(outputs.map(([name]) => name))) {
        throw new Error('ENOSPC: no space left on device, write');
      }
      for (const [name, value] of outputs) runner.outputs[name] = value;
    },
    debug: (text) => void runner.log.push(`::debug::${text}`),
    info: (text) => void runner.log.push(text),
    warning: (message, properties) =>
      void runner.annotations.push({ level: 'warning', title: properties?.title, message }),
    error: (message, properties) => void runner.annotations.push({ level: 'error', title: properties?.title, message }),
    appendSummary(markdown) {
      if (options.summary === 'fails') return Promise.reject(new Error('EACCES: permission denied, open summary'));
      if (options.summary !== 'none') runner.summary += `${markdown}\n`;
      return Promise.resolve();
    },
    fail: () => void (runner.failed = true),
    everything: () =>
      [
        ...runner.log,
        ...runner.annotations.map((a) => `${a.title ?? ''} ${a.message}`),
        ...Object.entries(runner.outputs).map(([name, value]) => `${name}=${value}`),
        runner.summary
      ].join('\n')
  };
  return runner;
}
