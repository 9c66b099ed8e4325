// Kept equal to package.json's version by a test; the bundle should not carry package.json itself.
export const VERSION = '0.1.0';
