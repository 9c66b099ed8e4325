// GitHub runs dist/, not src/: the committed bundles must be exactly what `npm run package` builds
// from src/, the action's in dist/ and the CLI package's in cli/dist/. Builds into a temporary
// folder with the package script itself (so this cannot drift from how they are built) and
// compares file by file. Run by .ci/run; check-dist.yml does the same on GitHub and uploads the
// bundles they should be.

import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file under `dir`, by its path relative to `dir`; none when there is no `dir`. */
function read(dir) {
  if (!existsSync(dir)) return new Map();
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(
    files
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
      .map((path) => [relative(dir, path).replaceAll('\\', '/'), readFileSync(path, 'utf8')])
  );
}

const out = mkdtempSync(join(tmpdir(), 'fs-key-dist-'));
try {
  // Every folder the package script writes (`-o dist`, `-o cli/dist`), each built under `out`.
  const folders = [...pkg.scripts.package.matchAll(/ -o (\S+)/g)].map(([, folder]) => folder);
  if (folders.length === 0) throw new Error('the package script writes its bundles in a way this check does not know');
  const script = pkg.scripts.package.replace(/ -o (\S+)/g, (_, folder) => ` -o ${join(out, folder)}`);
  execSync(script, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` }
  });
  let files = 0;
  let stale = false;
  for (const folder of folders) {
    const built = read(join(out, folder));
    const committed = read(join(root, folder));
    const differ = [...new Set([...built.keys(), ...committed.keys()])].filter(
      (name) => built.get(name) !== committed.get(name)
    );
    if (differ.length > 0) {
      console.error(`${folder}/ is not what src/ builds to (${differ.join(', ')}). Run npm run package and commit it.`);
      stale = true;
    }
    files += built.size;
  }
  if (stale) process.exit(1);
  console.log(`${folders.map((folder) => `${folder}/`).join(' and ')} are what src/ builds to (${files} files).`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
