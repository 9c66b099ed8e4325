// For the release workflow: the version package.json says, its major tag, and its section of
// CHANGELOG.md as the release notes. Prints `version=` and `major=` lines (for GITHUB_OUTPUT) and
// writes the notes to the file given; fails when CHANGELOG.md has no section for the version.
//
//   node script/release-notes.mjs "$RUNNER_TEMP/notes.md" >> "$GITHUB_OUTPUT"

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The body of `## [version]`'s section of a Keep a Changelog file, or undefined. */
export function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^## \[/.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}

if (basename(process.argv[1] ?? '') === 'release-notes.mjs') {
  const root = new URL('..', import.meta.url);
  const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const notes = changelogSection(readFileSync(new URL('CHANGELOG.md', root), 'utf8'), version);
  if (!notes) {
    console.error(`CHANGELOG.md has no section for ${version}: run script/release ${version} first.`);
    process.exit(1);
  }
  writeFileSync(process.argv[2], `${notes}\n`);
  console.log(`version=${version}`);
  console.log(`major=v${version.split('.')[0]}`);
}
