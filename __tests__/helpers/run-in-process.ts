// Runs the action's source in this process as the runner would run its bundle: inputs as INPUT_*
// variables with action.yml's defaults, the GITHUB_* command files, the real @actions/core writing
// workflow commands to stdout (captured here) and outputs and the summary to those files. What this
// cannot show (the bundle itself, Node 24, the process's exit and signals) the *.e2e tests do.

import { readFileSync, rmSync, statSync } from 'node:fs';
import { run, type Dependencies } from '../../src/main.js';
import { secrets } from '../../src/redact.js';
import { parseOutputs, runnerFiles, type ActionRun } from './action-run.js';

/** The action's run, as its bundle would have made it; `deps` as main.ts takes them. */
export async function runInProcess(
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; summaryFile?: string | null; deps?: Partial<Dependencies> } = {}
): Promise<ActionRun> {
  const { dir, files, env: given } = runnerFiles(inputs);
  const env: Record<string, string | undefined> = given;
  if (options.summaryFile !== undefined) env.GITHUB_STEP_SUMMARY = options.summaryFile ?? undefined;
  Object.assign(env, options.env);

  // The step's environment is this process's for the run: @actions/core and the proxy settings
  // read process.env. Whatever it was before is put back after.
  const saved = new Map(Object.keys(env).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  };
  const started = performance.now();
  let code: number;
  try {
    await run({ env: { ...process.env }, ...options.deps });
  } finally {
    process.stdout.write = write;
    code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    // A new process would start with no secrets registered.
    secrets.clear();
  }
  const ms = performance.now() - started;
  const read = (file: string | undefined) =>
    file !== undefined && statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, 'utf8') : '';
  const written = Object.values(files).map(read);
  const outputs = parseOutputs(read(files.GITHUB_OUTPUT));
  const summary = read(env.GITHUB_STEP_SUMMARY);
  rmSync(dir, { recursive: true, force: true });
  return { code, stdout, stderr: '', outputs, summary, everything: [stdout, ...written].join('\n'), ms };
}
