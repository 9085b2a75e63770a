// Prints the test totals as one plain line, `N passed, N failed[, N skipped]`, which CI reads
// (jest's own summary is not read), and writes them to $TEST_TOTALS_FILE for .ci/run to combine
// with its other checks.
import { writeFileSync } from 'node:fs';

export default class TotalsReporter {
  onRunComplete(_contexts, results) {
    // A suite that fails to load has no failing test of its own; count it so it cannot hide.
    const brokenSuites = results.testResults.filter((r) => r.testExecError).length;
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + brokenSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.TEST_TOTALS_FILE)
      writeFileSync(process.env.TEST_TOTALS_FILE, `${passed} ${failed} ${skipped}\n`);
  }
}
