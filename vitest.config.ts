import { defineConfig } from 'vitest/config';

// In CI a JSON report is written as well: .ci/run reads it for its closing `N passed, N failed` line.
const inCI = process.env.CI === 'true' || process.env.CI === '1';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: inCI ? ['default', 'json'] : ['default'],
    outputFile: inCI ? { json: 'test-output/vitest-results.json' } : {},
  },
});
