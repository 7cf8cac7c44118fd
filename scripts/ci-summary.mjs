// Prints the closing line CI reads, `N passed, N failed, N skipped`, from vitest's JSON report.
// A missing or unreadable report (install or type check failed before the tests ran) counts as one failure.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'test-output/vitest-results.json';
try {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const failed = report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? 1 : 0);
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
} catch (error) {
  console.log(`ci-summary: no test report at ${path} (${error.code ?? error.message}): the tests did not run`);
  console.log('0 passed, 1 failed');
}
