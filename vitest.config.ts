import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    // CDK synths and the S3-compatible server take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The publisher logs JSON lines; show them only for tests that fail.
    silent: 'passed-only',
  },
});
