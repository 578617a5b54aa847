#!/usr/bin/env node
// Prints the closing line CI reads, `N passed, N failed`, from vitest's JSON
// report (vitest's own summary is not in that form). A missing or unreadable
// report counts as a failure: no report means the tests did not run.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.vitest-results.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`test-summary: no readable vitest report at ${path} (${error.code ?? error.message})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const brokenSuites = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
console.log(`${passed} passed, ${failed + brokenSuites} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + brokenSuites > 0 ? 1 : 0);
