// ESM all the way: @actions/* 3.x ship only ESM, so tests run under --experimental-vm-modules.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // cli/ is the CLI's npm package: its package.json shares the root's name.
  modulePathIgnorePatterns: ['<rootDir>/cli/'],
  testTimeout: 60000,
  // What the tests that run src/ in this process cover, orchestration included (main.test.ts,
  // action.test.ts, cli.test.ts); the end-to-end tests run the bundles in child processes, which
  // this does not see. The thresholds are what the suite reached when they
  // were set: they may only go up. Istanbul (babel) rather than V8: V8's counts of functions and
  // branches changed from run to run with the same tests, and its branch figure counted only blocks
  // that ran.
  collectCoverageFrom: ['src/**/*.ts'],
  coverageProvider: 'babel',
  coverageReporters: ['text-summary'],
  coverageThreshold: { global: { statements: 90, branches: 88, functions: 90, lines: 90 } }
};
