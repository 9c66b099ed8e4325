// Starts the local Fullstory emulator in the background on a port, and returns once it answers:
// the same on Linux, macOS and Windows runners, in any shell (CI's `uses: ./` job).
//
//   node script/start-emulator.mjs 8765

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? 8765);
const emulator = fileURLToPath(new URL('../emulator/fullstory-emulator.mjs', import.meta.url));
spawn(process.execPath, [emulator, '--port', String(port)], { detached: true, stdio: 'ignore' }).unref();

for (let tries = 0; tries < 100; tries += 1) {
  try {
    await fetch(`http://127.0.0.1:${port}/`);
    console.log(`Fullstory emulator at http://127.0.0.1:${port}`);
    process.exit(0);
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
console.error(`The emulator did not answer on port ${port} within 10 s.`);
process.exit(1);
