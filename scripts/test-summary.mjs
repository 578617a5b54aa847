#!/usr/bin/env node
// Prints the closing line CI reads, `N passed, N failed`, from vitest's JSON
// reports — one per run (Node 20, Node 24), summed — plus results counted
// elsewhere (--extra-passed N --extra-failed N: the chaos scenarios). Each
// run's own figures come first, one line each. A missing or unreadable report
// counts as a failure: the tests did not run.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'extra-passed': { type: 'string', default: '0' }, 'extra-failed': { type: 'string', default: '0' } },
});
const paths = positionals.length > 0 ? positionals : ['.vitest-results.json'];
let passed = Number(values['extra-passed']) || 0;
let failed = Number(values['extra-failed']) || 0;
let skipped = 0;

for (const path of paths) {
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.error(`test-summary: no readable vitest report at ${path} (${error.code ?? error.message})`);
    failed += 1;
    continue;
  }
  // A suite that failed to load (syntax error, failing beforeAll) has no test results of its own.
  const brokenSuites = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).every((a) => a.status !== 'failed'),
  ).length;
  // Name every failure, so the tail of a CI log says which test to look at.
  for (const suite of report.testResults ?? []) {
    const file = String(suite.name ?? '').replace(process.cwd() + '/', '');
    const failedTests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (suite.status === 'failed' && failedTests.length === 0) {
      console.log(`FAILED ${path}: ${file}: suite did not run: ${firstLine(suite.message)}`);
    }
    for (const test of failedTests) {
      console.log(`FAILED ${path}: ${file} > ${test.fullName ?? test.title}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
  // Passed only on CI's one retry: counted as passed, never hidden.
  try {
    for (const f of JSON.parse(readFileSync(path.replace(/\.json$/, '.flaky.json'), 'utf8'))) {
      console.log(`FLAKY ${path}: ${f.file} > ${f.test}: passed on retry ${f.retries}; first attempt: ${firstLine(f.error)}`);
    }
  } catch {
    // no retries recorded (not CI, or nothing needed one)
  }
  const runPassed = report.numPassedTests ?? 0;
  const runFailed = (report.numFailedTests ?? 0) + brokenSuites;
  const runSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (paths.length > 1) console.log(`${path}: ${runPassed} passed, ${runFailed} failed${runSkipped ? `, ${runSkipped} skipped` : ''}`);
  passed += runPassed;
  failed += runFailed;
  skipped += runSkipped;
}
function firstLine(text) {
  return String(text ?? '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
