// jest 30 in ESM mode: ts-jest transpiles (no type-check; `npm run typecheck` does that),
// and `.js` suffixes in relative imports are mapped back to the TypeScript sources.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/.ci/totals-reporter.js'],
};
