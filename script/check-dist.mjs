// GitHub runs dist/, not src/: the committed bundles must be exactly what `npm run package` builds
// from src/. Builds into a temporary folder with the package script itself (so this cannot drift
// from how dist/ is built) and compares file by file. Run by .ci/run; check-dist.yml does the same
// on GitHub and uploads the dist/ it should be.

import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file under `dir`, by its path relative to `dir`. */
function read(dir) {
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
  const script = pkg.scripts.package.replaceAll(' -o dist', ` -o ${out}`);
  if (script.includes(' -o dist'))
    throw new Error('the package script writes to dist/ in a way this check does not know');
  execSync(script, {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` }
  });
  const built = read(out);
  const committed = read(join(root, 'dist'));
  const differ = [...new Set([...built.keys(), ...committed.keys()])].filter(
    (name) => built.get(name) !== committed.get(name)
  );
  if (differ.length > 0) {
    console.error(`dist/ is not what src/ builds to (${differ.join(', ')}). Run npm run package and commit dist/.`);
    process.exit(1);
  }
  console.log(`dist/ is what src/ builds to (${built.size} files).`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
