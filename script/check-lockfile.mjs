// `npm ci` must work on every contributor's machine and leave their Node alone: package-lock.json
// may hold a package bound to an os, cpu or libc only as an optional one (npm skips it elsewhere),
// and no package whose bin is named `node` (npm would put it first on every script's PATH, in
// place of the contributor's Node). The end-to-end tests get Node 24 from script/node-runtime.mjs.
// `npm run lint` runs it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'));

const problems = [];
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  const name = path.replace(/^.*node_modules\//, '') || '(the project)';
  const bound = ['os', 'cpu', 'libc'].filter((field) => entry[field] !== undefined);
  if (bound.length > 0 && entry.optional !== true) {
    const fields = bound.map((field) => `${field} ${JSON.stringify(entry[field])}`).join(', ');
    problems.push(`${name} is bound to ${fields} and not optional: npm ci fails or skips it elsewhere`);
  }
  const bins = typeof entry.bin === 'string' ? [name] : Object.keys(entry.bin ?? {});
  if (bins.some((bin) => bin.replace(/\.(exe|cmd)$/i, '').toLowerCase() === 'node')) {
    problems.push(`${name} has a bin named node: every npm script would run it instead of the contributor's Node`);
  }
}
for (const problem of problems) console.error(`package-lock.json: ${problem}`);
console.log(`lockfile: ${Object.keys(lock.packages ?? {}).length} entries, ${problems.length} problems`);
process.exitCode = problems.length === 0 ? 0 : 1;
