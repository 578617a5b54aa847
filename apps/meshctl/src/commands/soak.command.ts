import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario, shortenScenario, type Scenario, type SoakReport } from '@zonemesh/chaos';
import { parseDuration } from '@zonemesh/config';
import { renderTable } from '../cli/table.js';
import { UsageError } from '../cli/usage-error.js';
import { runSoak } from '../soak/soak-run.js';
import { WORKSPACE_ROOT } from '../workspace.js';

export const SOAK_USAGE = `zonemesh soak [--duration 10m] [--warmup DUR] [--rate 20] [--deadline 5s] [--recovery 10s]
        [--scenario FILE...] [--full] [--reports DIR] [--config mesh.yaml]
  Runs a private mesh on free ports under a steady background load through the
  gateway (--rate req/s, each with --deadline) while it loops through the
  shipped chaos scenarios but overload, which sheds the background load by design
  (short forms; --full for full length; --scenario to choose), and samples every process's RSS, open fds, heap, event-loop delay
  and active handles once per second, following each by name across restarts.
  Fails when a process's RSS (median) grows more than 20% or its open fds more
  than 10% from the second to the last quarter after the warm-up (default 10%
  of the duration, at least 30 s, at most a quarter), when a background request is lost (no
  answer before its deadline, or an error outside every fault window + the
  recovery allowance) or when a scenario fails its own assertions. Writes
  reports/soak-<time>.json and .html; exits 0 only when everything held.`;

/**
 * Shipped scenarios the soak does not loop unless named with --scenario:
 * overload holds the catalog breaker at its limit for its whole run, so it
 * sheds the soak's own background requests (429) by design, outside any
 * fault window.
 */
const NOT_SOAKED = new Set(['overload.yaml']);

interface SoakArgs {
  durationMs: number;
  warmupMs: number;
  rate: number;
  deadlineMs: number;
  recoveryMs: number;
  files: string[];
  full: boolean;
  reportDir: string;
  configPath: string;
}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`--${flag}: expected a duration like 90s or 10m, got "${text}"`);
  return ms;
}

export function parseSoakArgs(argv: string[]): SoakArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rate: { type: 'string' },
      deadline: { type: 'string' },
      recovery: { type: 'string' },
      scenario: { type: 'string', multiple: true, default: [] },
      full: { type: 'boolean', default: false },
      reports: { type: 'string' },
      config: { type: 'string' },
    },
  });
  if (positionals.length) throw new UsageError(`soak: unexpected argument "${positionals[0]}"`);
  const durationMs = duration('duration', values.duration, 600_000);
  if (durationMs < 30_000) throw new UsageError(`--duration: at least 30s (quarters of a shorter run say nothing), got "${values.duration}"`);
  const warmupMs = values.warmup === '0s' || values.warmup === '0' ? 0 : duration('warmup', values.warmup, Math.min(Math.max(30_000, durationMs * 0.1), durationMs / 4));
  if (warmupMs >= durationMs / 2) throw new UsageError(`--warmup: must be under half the duration (${durationMs / 2000} s), got "${values.warmup ?? `${warmupMs / 1000}s`}"`);
  const rate = values.rate === undefined ? 20 : Number(values.rate);
  if (!(rate > 0 && rate <= 200)) throw new UsageError(`--rate: expected requests per second in (0, 200], got "${values.rate}"`);
  const scenarioDir = join(WORKSPACE_ROOT, 'chaos', 'scenarios');
  const files = values.scenario!.length
    ? values.scenario!.map((f) => resolve(f))
    : readdirSync(scenarioDir)
        .filter((f) => (f.endsWith('.yaml') || f.endsWith('.yml')) && !NOT_SOAKED.has(f))
        .sort()
        .map((f) => join(scenarioDir, f));
  return {
    durationMs,
    warmupMs,
    rate,
    deadlineMs: duration('deadline', values.deadline, 5_000),
    recoveryMs: duration('recovery', values.recovery, 10_000),
    files,
    full: values.full!,
    reportDir: resolve(values.reports ?? join(WORKSPACE_ROOT, 'reports')),
    configPath: resolve(values.config ?? join(WORKSPACE_ROOT, 'mesh.yaml')),
  };
}

const MB = 1024 * 1024;
const pct = (r: number | null) => (r === null ? '-' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`);

/** One row per process: RSS and fds q2 -> q4, peaks of event-loop delay and handles. */
export function soakTable(report: SoakReport): string {
  return renderTable(
    ['process', 'restarts', 'RSS q2->q4 MB', 'RSS', 'fds q2->q4', 'fds', 'max el p99 ms', 'max handles', ''],
    report.verdict.processes.map((p) => [
      p.name,
      String(p.restarts),
      p.rssQ2Bytes === null || p.rssQ4Bytes === null ? '-' : `${(p.rssQ2Bytes / MB).toFixed(1)}->${(p.rssQ4Bytes / MB).toFixed(1)}`,
      pct(p.rssGrowth),
      p.fdsQ2 === null || p.fdsQ4 === null ? '-' : `${p.fdsQ2}->${p.fdsQ4}`,
      pct(p.fdGrowth),
      p.maxEventLoopP99Ms === null ? '-' : p.maxEventLoopP99Ms.toFixed(1),
      p.maxActiveHandles === null ? '-' : String(p.maxActiveHandles),
      p.passed ? 'ok' : 'FAIL',
    ]),
  );
}

/**
 * `zonemesh soak`: scenarios are validated before anything starts. Ctrl-C
 * stops the load, rolls the current scenario's faults back, stops the mesh
 * and still writes the report (marked interrupted).
 */
export async function soakCommand(argv: string[]): Promise<number> {
  const args = parseSoakArgs(argv);
  const scenarios: Scenario[] = [];
  for (const file of args.files) {
    const scenario = await loadScenario(file);
    scenarios.push(args.full ? scenario : shortenScenario(scenario));
  }
  const log = (line: string) => console.log(`soak: ${line}`);
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      console.error('\nsoak: interrupted — rolling back faults, stopping the mesh, writing the report (Ctrl-C again to force)');
      abort.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runSoak({
      durationMs: args.durationMs,
      warmupMs: args.warmupMs,
      rate: args.rate,
      deadlineMs: args.deadlineMs,
      recoveryMs: args.recoveryMs,
      scenarios,
      configPath: args.configPath,
      reportDir: args.reportDir,
      logDir: join(WORKSPACE_ROOT, '.zonemesh', 'soak-logs'),
      maxRssGrowth: 0.2,
      maxFdGrowth: 0.1,
      signal: abort.signal,
      log,
    });
    const { report } = outcome;
    const r = report.verdict.requests;
    console.log(`\n${soakTable(report)}\n`);
    console.log(`background load: ${r.total} requests, ${r.lost} lost (${r.lostNoAnswer} no answer before the deadline, ${r.lostErrors} errors outside fault windows); ${r.errorsInWindows} errors inside fault windows`);
    const inconclusive = report.scenarios.filter((s) => s.inconclusive).length;
    console.log(
      `scenarios: ${report.scenarios.length} run, ${report.scenarios.filter((s) => !s.passed && !s.inconclusive).length} failed their own assertions` +
        (inconclusive ? `, ${inconclusive} inconclusive (aborted before their first fault: the mesh was not steady)` : ''),
    );
    for (const reason of report.verdict.reasons) log(`FAIL: ${reason}`);
    log(`${report.verdict.passed ? 'PASSED' : 'FAILED'}; reports: ${outcome.paths.html} ${outcome.paths.json}`);
    if (outcome.aborted) return 130;
    return report.verdict.passed ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
