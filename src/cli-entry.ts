#!/usr/bin/env node
// The CLI's process: main (cli.ts) on the real streams, and whatever happens, an exit code that is
// one of the documented ones, once.

import { EXIT, main, print, unexpected } from './cli.js';
import { exitWhenFlushed } from './deadline.js';

let ending = false;
const end = (code: number) => {
  if (ending) return;
  ending = true;
  process.exitCode = code;
  void exitWhenFlushed();
};
process.on('SIGINT', () => end(EXIT.interrupted));
process.on('uncaughtException', (error) => {
  try {
    print(process.stderr, unexpected(error));
  } finally {
    end(EXIT.error);
  }
});
// Output that cannot be written (a full disk, a closed pipe): the verdict did not reach anyone.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => end(EXIT.error));
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr
});
await exitWhenFlushed();
