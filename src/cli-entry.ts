#!/usr/bin/env node
// The CLI's process: main (cli.ts) on the real streams, and whatever happens, an exit code that is
// one of the documented ones, once. The signal handlers come first, before the rest of the CLI is
// loaded (a megabyte of bundle, a fifth of a second): a CI system may cancel a job at any moment.

import { exitWhenFlushed } from './deadline.js';

const ERROR = 4;
let ending = false;
const end = (code: number) => {
  if (ending) return;
  ending = true;
  process.exitCode = code;
  void exitWhenFlushed();
};
// Stopped by a signal (Ctrl-C, `timeout`, Docker or a CI system cancelling): one last line, and
// 128 + the signal's number, as shells report it, rather than ending by the signal itself. The
// line holds nothing of the key, so it needs no redaction.
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1]
] as const) {
  process.on(signal, () => {
    if (!ending) process.stderr.write(`fullstory-key-check: stopped by ${signal}, so the key is not verified.\n`);
    end(128 + number);
  });
}
// Output that cannot be written (a full disk, a closed pipe): the verdict did not reach anyone.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => end(ERROR));

const { EXIT, main, print, unexpected } = await import('./cli.js');
process.on('uncaughtException', (error) => {
  try {
    print(process.stderr, unexpected(error));
  } finally {
    end(EXIT.error);
  }
});
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr
});
await exitWhenFlushed();
