import { parseSettings, type RawInputs, type Settings } from '../../src/inputs.js';

export const EMPTY_INPUTS: RawInputs = {
  'api-key': '',
  'expected-level': '',
  keys: '',
  match: '',
  'expected-org-id': '',
  'fail-on-mismatch': '',
  'api-url': '',
  'timeout-seconds': '',
  'max-attempts': '',
  'alert-issue': '',
  'check-name': '',
  'github-token': ''
};

/** Settings as the action would build them from these inputs (and this step env). */
export function settingsFrom(inputs: Partial<RawInputs>, env: Record<string, string> = {}): Settings {
  return parseSettings({ ...EMPTY_INPUTS, ...inputs }, env);
}
