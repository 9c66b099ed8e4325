// The offline half of the pin guard (the online half is zizmor, on GitHub, which checks that each
// commit is really under its tag): every `uses:` of an action outside this repository, in
// .github/workflows/ and examples/, is a full 40-hex commit SHA with its exact version in a comment
// (`# v7.0.1`, not `# v7`), so that a tag moved upstream changes nothing here until we choose.
// `npm run lint` runs it; pinProblems is tested in __tests__/check-pins.test.ts.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const USES = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/;
const PINNED = /^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s+#\s+v\d+\.\d+\.\d+(?:[-+][\w.-]+)?\s*$/;

/** Every `uses:` in `text` that is not pinned as it must be, as `path:line: what is wrong`. */
export function pinProblems(text, path) {
  const problems = [];
  text.split('\n').forEach((line, index) => {
    const match = USES.exec(line);
    if (match === null) return;
    const [, target, rest] = match;
    const where = `${path}:${index + 1}`;
    // This repository's own action, and actions under OWNER (the examples' placeholder), are ours.
    if (target.startsWith('./') || target.startsWith('OWNER/')) return;
    if (target.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(target)) problems.push(`${where}: ${target} is not pinned by its image digest`);
      return;
    }
    if (!PINNED.test(target)) problems.push(`${where}: ${target} is not pinned to a full commit SHA`);
    else if (!VERSION_COMMENT.test(rest)) {
      problems.push(`${where}: ${target} needs its exact version in a comment, e.g. # v1.2.3`);
    }
  });
  return problems;
}

if (basename(process.argv[1] ?? '') === 'check-pins.mjs') {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = ['.github/workflows', 'examples'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => join(root, dir, name))
  );
  const problems = files.flatMap((file) => pinProblems(readFileSync(file, 'utf8'), relative(root, file)));
  for (const problem of problems) console.error(problem);
  console.log(`pins: ${files.length} workflows, ${problems.length} problems`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
