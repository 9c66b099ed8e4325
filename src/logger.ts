// Everything the action writes to the runner goes through here: the log, annotations, outputs and
// the job summary. Each string is redacted of the run's secrets on its way out (redact.ts): the
// last net under text.ts, for whatever a line carries besides the values it quoted.

import * as core from '@actions/core';
import { secrets } from './redact.js';

const clean = (text: string) => secrets.redactDocument(text);

/**
 * The exit code is what the runner reads. Set here rather than through core.setFailed or
 * core.ExitCode, which @github/local-action's stand-in for @actions/core lacks or keeps to itself.
 */
function failStep(): void {
  process.exitCode = 1;
}
const titled = (title?: string) => (title === undefined ? undefined : { title: clean(title) });

export const logger = {
  debug: (text: string) => core.debug(clean(text)),
  info: (text: string) => core.info(clean(text)),
  warning: (text: string, title?: string) => core.warning(clean(text), titled(title)),
  error: (text: string, title?: string) => core.error(clean(text), titled(title)),
  /** An error annotation, and the step fails. */
  failed: (text: string) => {
    core.error(clean(text));
    failStep();
  },
  /** The step fails; what it failed on has been said already. */
  failStep,
  output: (name: string, value: string) => core.setOutput(name, clean(value)),
  /** Appends Markdown to the job summary. */
  summary: async (markdown: string) => {
    await core.summary.addRaw(clean(markdown), true).write();
  }
};
