import { join } from 'node:path';
import {
  FaultError,
  judgeSoak,
  LoadGenerator,
  loadSlices,
  runScenario,
  sampleColumns,
  writeSoakReports,
  type FaultWindow,
  type ProcessSample,
  type Scenario,
  type SoakReport,
  type SoakScenarioRun,
} from '@zonemesh/chaos';
import { startPrivateMesh, type ChaosMesh } from '../chaos/chaos-mesh.js';
import { MeshError } from '../mesh/mesh-error.js';
import { sampleProcesses } from './process-sampler.js';

export interface SoakOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Background load through the gateway, requests per second. */
  readonly rate: number;
  /** Every background request's deadline. */
  readonly deadlineMs: number;
  /** Added to the end of each fault window: errors while the mesh recovers are the fault's. */
  readonly recoveryMs: number;
  /** Looped in this order (already shortened if wanted). */
  readonly scenarios: readonly Scenario[];
  readonly configPath: string;
  readonly reportDir: string;
  readonly logDir: string;
  readonly maxRssGrowth: number;
  readonly maxFdGrowth: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  /** Sampling period (1 s). */
  readonly sampleIntervalMs?: number;
}

export interface SoakOutcome {
  readonly report: SoakReport;
  readonly paths: { readonly json: string; readonly html: string };
  readonly aborted: boolean;
}

/** Time a scenario needs besides its load: target resolution, rollback, observers stopping. */
const SCENARIO_SLACK_MS = 8_000;
/** Pause between two scenarios, so one's recovery does not run into the next one's steady-state check. */
const BETWEEN_SCENARIOS_MS = 3_000;
/** The longest wait before the first scenario (never longer than half the warm-up, so a first kill's disturbance ends early). */
const SETTLE_MS = 30_000;
/** A restarted process is judged from this long after its new pid first showed (start-up, JIT, first connections). */
const RESTART_WARMUP_MS = 30_000;
/** Progress lines of a looped scenario are dropped; its events (faults, heals, errors) are kept. */
const EVENT_LINE = /^\s*\d+s {2}(phase|fault|heal|rollback|error): /;

/**
 * The soak: a private mesh on free ports, a steady open-loop background load
 * through its gateway for the whole duration, the scenarios looped one after
 * another while they still fit, and every process sampled once per sampling
 * period. The mesh is stopped whatever happens; the verdict is judgeSoak's.
 */
export async function runSoak(options: SoakOptions): Promise<SoakOutcome> {
  const log = options.log;
  let mesh: ChaosMesh | undefined;
  const samples: ProcessSample[] = [];
  const windows: FaultWindow[] = [];
  const runs: SoakScenarioRun[] = [];
  let aborted = false;
  let load: LoadGenerator | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let startedAt = new Date().toISOString();
  const onAbort = () => {
    aborted = true;
    load?.stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  /** A wait that Ctrl-C cuts short. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        resolve();
      }
      options.signal?.addEventListener('abort', done, { once: true });
    });
  try {
    mesh = await startPrivateMesh(options.configPath, 'zonemesh', log, options.logDir);
    const processes = mesh.processes;
    if (!processes) throw new MeshError('the soak needs a mesh this CLI started (its processes are sampled)');
    log(`using the ${mesh.description}`);
    if (options.signal?.aborted) throw new MeshError('interrupted before the soak started');

    load = new LoadGenerator({
      baseUrl: mesh.target.gatewayUrl,
      rate: options.rate,
      durationMs: options.durationMs,
      timeoutMs: options.deadlineMs,
      connections: 8,
      mix: [
        { path: '/api/products/{id}', headers: {}, weight: 0.8 },
        { path: '/api/products/{id}', headers: { 'x-api-version': 'v2' }, weight: 0.2 },
      ],
    });
    const clock = () => load!.elapsedMs();
    startedAt = new Date().toISOString();
    const loadDone = load.run();
    log(`soak: ${options.durationMs / 1000} s, background load ${options.rate} req/s (deadline ${options.deadlineMs} ms), warm-up ${options.warmupMs / 1000} s, sampling ${processes.length} processes`);

    let sampling = false;
    let lastMinute = -1;
    sampler = setInterval(() => {
      if (sampling) return; // a slow tick is skipped, never stacked
      sampling = true;
      const t = Math.round(clock());
      sampleProcesses(processes, t)
        .then((batch) => {
          samples.push(...batch);
          const minute = Math.floor(t / 60_000);
          if (minute !== lastMinute) {
            lastMinute = minute;
            const rss = batch.reduce((sum, s) => sum + s.rssBytes, 0);
            log(`${String(Math.floor(t / 1000)).padStart(5)}s  ${batch.length} processes, RSS ${(rss / 1024 / 1024).toFixed(0)} MB in all, ${load!.records.length} background requests`);
          }
        })
        .catch((error: unknown) => log(`sampling failed: ${(error as Error).message}`))
        .finally(() => (sampling = false));
    }, options.sampleIntervalMs ?? 1000);

    // A mesh just started answers slowly (cold JIT, caches filling): a scenario's steady-state check would judge that.
    const settleMs = Math.min(options.warmupMs / 2, SETTLE_MS);
    if (!aborted && clock() < settleMs) {
      log(`${String(Math.floor(clock() / 1000)).padStart(5)}s  settling for ${settleMs / 1000} s before the first scenario`);
      await pause(settleMs - clock());
    }
    let next = 0;
    let skipped = 0;
    while (!aborted && options.scenarios.length > 0 && skipped < options.scenarios.length) {
      const scenario = options.scenarios[next % options.scenarios.length]!;
      next++;
      if (clock() + scenario.load.durationMs + SCENARIO_SLACK_MS > options.durationMs) {
        skipped++;
        continue;
      }
      skipped = 0;
      const startMs = Math.round(clock());
      let offset = startMs;
      log(`${String(Math.floor(startMs / 1000)).padStart(5)}s  scenario ${scenario.name} (${scenario.load.durationMs / 1000} s)`);
      try {
        const result = await runScenario(scenario, mesh.target, {
          reportDir: join(options.reportDir, 'soak-scenarios'),
          ...(options.signal ? { signal: options.signal } : {}),
          onLoadStart: () => (offset = clock()),
          onProgress: (line) => {
            if (EVENT_LINE.test(line)) log(`        ${scenario.name}: ${line.trim()}`);
          },
        });
        const { journal } = result;
        for (const step of journal.steps) {
          windows.push({ from: Math.round(offset + step.startMs), to: Math.round(offset + (step.endMs ?? journal.durationMs) + options.recoveryMs), label: `${scenario.name}/${step.name}` });
        }
        const failures = [
          ...(journal.aborted ? [journal.aborted] : []),
          ...journal.steps.flatMap((s) => [s.error, ...(s.healErrors ?? [])].filter((e): e is string => !!e).map((e) => `${s.name}: ${e}`)),
          ...[...journal.steadyState, ...journal.assertions].filter((a) => !a.passed).map((a) => `${a.name} (${a.value ?? 'never'} vs ${a.threshold})`),
        ];
        // Aborted before its first fault: nothing was injected, so nothing was proven either way.
        const inconclusive = !result.passed && journal.aborted && /steady state not met before/.test(journal.aborted) ? journal.aborted : undefined;
        runs.push({ name: scenario.name, startMs, endMs: Math.round(clock()), passed: result.passed, failures, ...(inconclusive ? { inconclusive } : {}), ...(result.reports ? { report: result.reports.html } : {}) });
        const outcome = result.passed ? 'PASSED' : inconclusive ? `INCONCLUSIVE (no fault injected): ${failures.join('; ')}` : `FAILED: ${failures.join('; ')}`;
        log(`${String(Math.floor(clock() / 1000)).padStart(5)}s  scenario ${scenario.name}: ${outcome}`);
      } catch (error) {
        if (!(error instanceof FaultError)) throw error;
        runs.push({ name: scenario.name, startMs, endMs: Math.round(clock()), passed: false, failures: [`could not start: ${error.message}`] });
        log(`scenario ${scenario.name}: FAILED before it started: ${error.message}`);
      }
      if (!aborted) await pause(BETWEEN_SCENARIOS_MS);
    }
    if (!aborted) log(`${String(Math.floor(clock() / 1000)).padStart(5)}s  no further scenario fits; background load until ${options.durationMs / 1000} s`);
    await loadDone;
  } finally {
    clearInterval(sampler);
    options.signal?.removeEventListener('abort', onAbort);
    load?.stop();
    await mesh?.release();
  }

  const durationMs = aborted ? Math.round(load.elapsedMs()) : options.durationMs;
  const records = load.records;
  const verdict = judgeSoak({
    durationMs,
    warmupMs: Math.min(options.warmupMs, durationMs / 2),
    restartWarmupMs: RESTART_WARMUP_MS,
    samples,
    windows,
    records,
    scenarios: runs,
    maxRssGrowth: options.maxRssGrowth,
    maxFdGrowth: options.maxFdGrowth,
  });
  const report: SoakReport = {
    version: 1,
    startedAt,
    durationMs,
    warmupMs: options.warmupMs,
    settings: {
      rate: options.rate,
      deadlineMs: options.deadlineMs,
      recoveryMs: options.recoveryMs,
      maxRssGrowth: options.maxRssGrowth,
      maxFdGrowth: options.maxFdGrowth,
      scenarios: options.scenarios.map((s) => s.name).join(', '),
    },
    mesh: mesh!.description,
    verdict: aborted ? { ...verdict, passed: false, reasons: ['interrupted', ...verdict.reasons] } : verdict,
    scenarios: runs,
    windows,
    load: { sliceMs: 10_000, slices: loadSlices(records, durationMs, 10_000) },
    processes: sampleColumns(samples),
  };
  const paths = await writeSoakReports(report, options.reportDir);
  return { report, paths, aborted };
}
