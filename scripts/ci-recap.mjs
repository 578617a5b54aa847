#!/usr/bin/env node
// Names what failed in the chaos, soak and compose steps, from their reports,
// just before CI's closing line: CI keeps only the tail of a run's log, and a
// failed scenario printed 20 minutes earlier is not in it.
// Usage: ci-recap.mjs <dir-or-report.json>...
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const reports = [];
for (const arg of process.argv.slice(2)) {
  let stat;
  try {
    stat = statSync(arg);
  } catch {
    continue; // the step did not run far enough to write one
  }
  if (stat.isDirectory()) {
    const found = readdirSync(arg).sort().filter((name) => name.endsWith('.json'));
    // A run that died before its report is a failure too, and says where it should have been.
    if (found.length === 0) console.log(`RECAP ${arg}: no report written (the run died before it finished)`);
    for (const name of found) reports.push(join(arg, name));
  } else reports.push(arg);
}

for (const path of reports) {
  let report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    console.log(`RECAP ${path}: unreadable (${error.message})`);
    continue;
  }
  if (path.endsWith('-grpc-rr.json')) continue; // baselines are expected to fail
  const passed = report.passed ?? report.verdict?.passed;
  if (passed !== false) continue;
  if (report.verdict) {
    // a soak report; its reasons name a failed scenario too
    for (const reason of report.verdict.reasons ?? []) console.log(`RECAP ${path}: soak: ${reason}`);
    for (const p of report.verdict.processes ?? []) {
      for (const reason of p.reasons ?? []) console.log(`RECAP ${path}: soak: ${p.name}: ${reason}`);
    }
    continue;
  }
  const failed = [...(report.steadyState ?? []), ...(report.assertions ?? [])].filter((a) => a.passed === false);
  const name = report.scenario?.name ?? path;
  if (report.aborted) console.log(`RECAP ${path}: ${name} aborted: ${one(report.aborted)}`);
  else if (failed.length === 0) console.log(`RECAP ${path}: ${name} FAILED with no failed assertion recorded`);
  for (const a of failed) console.log(`RECAP ${path}: ${name} FAILED ${a.name} (${a.threshold ?? ''}): ${one(a.detail ?? '')}`);
}

function one(text) {
  return String(text).split('\n')[0].slice(0, 300);
}
