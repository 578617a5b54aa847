#!/usr/bin/env node
// Prints the closing line CI reads, `N passed, N failed`, from vitest's JSON
// report (vitest's own summary is not in that form), plus results counted
// elsewhere (--extra-passed N --extra-failed N: the chaos scenarios). A
// missing or unreadable report counts as a failure: the tests did not run.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'extra-passed': { type: 'string', default: '0' }, 'extra-failed': { type: 'string', default: '0' } },
});
const path = positionals[0] ?? '.vitest-results.json';
const extraPassed = Number(values['extra-passed']) || 0;
const extraFailed = Number(values['extra-failed']) || 0;

let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`test-summary: no readable vitest report at ${path} (${error.code ?? error.message})`);
  console.log(`${extraPassed} passed, ${extraFailed + 1} failed`);
  process.exit(1);
}
// A suite that failed to load (syntax error, failing beforeAll) has no test results of its own.
const brokenSuites = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && (r.assertionResults ?? []).every((a) => a.status !== 'failed'),
).length;
const passed = (report.numPassedTests ?? 0) + extraPassed;
const failed = (report.numFailedTests ?? 0) + brokenSuites + extraFailed;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
