import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { startEmulator } from '../../emulator/fullstory-emulator.mjs';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * An emulator for the tests of one file: started before them, forgotten between them (scripted
 * answers and recorded requests), closed after them. Usable once the file's tests run.
 */
export function useEmulator(options?: Parameters<typeof startEmulator>[0]): Emulator {
  const emulator = {} as Emulator;
  beforeAll(async () => {
    // Descriptors, not values: `throttled` is a getter over the running server's count.
    Object.defineProperties(emulator, Object.getOwnPropertyDescriptors(await startEmulator(options)));
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());
  return emulator;
}
