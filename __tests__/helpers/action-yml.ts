// The repository's root and action.yml as the runner reads it: inputs with their defaults.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
/** What the runner puts where action.yml says `${{ github.token }}`. */
export const FAKE_GITHUB_TOKEN = 'ghs_fakeTokenOfTheTestRunner0000000000';

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
}
export const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

/** Every input as the runner passes it: the workflow's value, or action.yml's default. */
export function withDefaults(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(actionYml.inputs).map(([name, spec]) => [
      name,
      inputs[name] ?? (spec.default ?? '').replace('${{ github.token }}', FAKE_GITHUB_TOKEN)
    ])
  );
}
