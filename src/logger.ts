// Everything the action writes to the runner goes through here: the log, annotations, outputs and
// the job summary. Each string is redacted of the run's secrets on its way out (redact.ts): the
// last net under text.ts, for whatever a line carries besides the values it quoted.

import { secrets, type Redactor } from './redact.js';
import type { Runner } from './runner.js';

export function createLogger(runner: Runner, redactor: Redactor = secrets) {
  const clean = (text: string) => redactor.redact(text);
  const titled = (title?: string) => (title === undefined ? undefined : { title: clean(title) });
  return {
    debug: (text: string) => runner.debug(clean(text)),
    info: (text: string) => runner.info(clean(text)),
    warning: (text: string, title?: string) => runner.warning(clean(text), titled(title)),
    error: (text: string, title?: string) => runner.error(clean(text), titled(title)),
    /** An error annotation, and the step fails. */
    failed: (text: string) => {
      runner.error(clean(text));
      runner.fail();
    },
    /** The step fails; what it failed on has been said already. */
    failStep: () => runner.fail(),
    /** Outputs, in one write; `email` (the creator's) only where outputs go to a file, not the log. */
    outputs: (outputs: readonly (readonly [string, string])[]) =>
      runner.setOutputs(
        outputs
          .filter(([name]) => name !== 'email' || runner.outputsArePrivate)
          .map(([name, value]) => [name, clean(value)] as const)
      ),
    /** Appends Markdown to the job summary. */
    summary: (markdown: string) => runner.appendSummary(clean(markdown))
  };
}

export type Logger = ReturnType<typeof createLogger>;
