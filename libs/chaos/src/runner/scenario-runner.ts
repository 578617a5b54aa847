import { evaluateAssertions, evaluateSteadyState } from '../assertions/assertion-evaluator.js';
import type { EvaluationInput } from '../assertions/evaluation-input.js';
import type { ChaosTarget } from '../faults/chaos-target.js';
import { FaultInjector } from '../faults/fault-injector.js';
import type { Journal, JournalEvent, StepRecord } from '../journal.js';
import { LoadGenerator } from '../load/load-generator.js';
import { describeLoad } from '../scenario/describe-load.js';
import { isError, type RequestRecord } from '../load/request-record.js';
import { BUCKET_MS, bucketize } from '../measure/buckets.js';
import { Observers } from '../observe/observers.js';
import { writeReports, type ReportPaths } from '../report/report-writer.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatProgress } from './progress-line.js';
import { phaseAt, runSchedule } from './run-schedule.js';

export interface RunOptions {
  /** Label of the load-balancing setup under test, e.g. `zonemesh` or `grpc-rr`. */
  readonly mode?: string;
  /** Aborting stops the load, rolls every fault back and ends the run as failed (wire Ctrl-C here). */
  readonly signal?: AbortSignal;
  /** Receives one progress line per second, and event lines (faults, heals, rollback). */
  readonly onProgress?: (line: string) => void;
  /** Writes `<dir>/<scenario>-<time>.json` and `.html` when given. */
  readonly reportDir?: string;
  /** Poll interval of /admin/clusters (default 250 ms). */
  readonly observeIntervalMs?: number;
  /**
   * Default true: like Chaos Toolkit, no fault is injected when the steady
   * state does not hold before the first fault. A baseline run sets it to
   * false: a plain round_robin caller never meets a zone-share hypothesis by
   * construction, and aborting it would leave nothing to compare with. The
   * unmet steady state still fails the run.
   */
  readonly abortWhenUnsteady?: boolean;
  /** Called when the load starts (t = 0 of the journal): lets a caller put step times on its own clock (the soak). */
  readonly onLoadStart?: () => void;
}

export interface ScenarioResult {
  /** True only when the steady state held before and after and every assertion held. */
  readonly passed: boolean;
  readonly journal: Journal;
  readonly reports?: ReportPaths;
}

/**
 * Runs one scenario against a target: load starts at t = 0, faults apply and
 * heal on schedule, the steady state is checked before the first fault and at
 * the end, then every assertion is judged from the journal. Whatever happens —
 * a failing step, an exception, an abort — every fault applied is rolled back
 * before this returns or throws.
 */
export async function runScenario(scenario: Scenario, target: ChaosTarget, options: RunOptions = {}): Promise<ScenarioResult> {
  const log = options.onProgress ?? (() => undefined);
  const injector = new FaultInjector(target.toxiproxyUrl, target.processes);
  // Selectors are resolved before any load or fault: a typo fails here, with nothing to undo.
  const targets = await injector.resolveTargets(scenario.steps);

  const journal: Journal = {
    version: 1,
    scenario,
    mode: options.mode ?? 'zonemesh',
    target: { gatewayUrl: target.gatewayUrl, toxiproxyUrl: target.toxiproxyUrl, registryUrls: target.registryUrls },
    startedAt: new Date().toISOString(),
    durationMs: scenario.load.durationMs,
    bucketMs: BUCKET_MS,
    steps: [],
    events: [],
    records: [],
    buckets: [],
    clusterSamples: [],
    clustersAvailable: false,
    registrySamples: [],
    steadyState: [],
    assertions: [],
    passed: false,
  };

  const completed: { at: number; record: RequestRecord }[] = [];
  const load = new LoadGenerator({
    baseUrl: target.gatewayUrl,
    rate: scenario.load.rate,
    ...(scenario.load.callers !== undefined ? { callers: scenario.load.callers } : {}),
    durationMs: scenario.load.durationMs,
    timeoutMs: scenario.load.timeoutMs,
    connections: scenario.load.connections,
    mix: scenario.load.mix,
    onRecord: (record) => completed.push({ at: load.elapsedMs(), record }),
  });
  const event = (kind: JournalEvent['kind'], message: string) => {
    const e = { t: Math.round(load.elapsedMs()), kind, message };
    journal.events.push(e);
    log(`${String(Math.floor(e.t / 1000)).padStart(4)}s  ${kind}: ${message}`);
  };
  const observers = new Observers(target.gatewayUrl, target.registryUrls, () => load.elapsedMs(), options.observeIntervalMs);
  const input = (): EvaluationInput => ({
    durationMs: journal.durationMs,
    records: journal.records,
    steps: journal.steps,
    clusterSamples: observers.clusterSamples,
    clustersAvailable: observers.clustersAvailable && observers.clusterSamples.length > 0,
    registrySamples: observers.registrySamples,
    registryZones: Object.keys(target.registryUrls),
    bucketMs: BUCKET_MS,
  });

  let wake: (() => void) | undefined;
  const onAbort = () => {
    journal.aborted ??= 'interrupted';
    load.stop();
    wake?.();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const sleepUntil = (t: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, t - load.elapsedMs()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let progress: NodeJS.Timeout | undefined;
  let loadDone: Promise<RequestRecord[]> | undefined;
  try {
    if (options.signal?.aborted) throw new Error('aborted before start');
    if (scenario.load.warmupMs > 0) await warmUp(scenario, target, log, options.signal);
    if (options.signal?.aborted) throw new Error('aborted during the warm-up');
    observers.start();
    loadDone = load.run();
    options.onLoadStart?.();
    event('phase', `load ${describeLoad(scenario.load)} for ${scenario.load.durationMs} ms against ${target.gatewayUrl}`);
    progress = setInterval(() => {
      const now = load.elapsedMs();
      while (completed.length && completed[0]!.at < now - 1000) completed.shift();
      log(formatProgress(now, journal.aborted ? 'aborting' : phaseAt(scenario, now), completed.map((c) => c.record)));
    }, 1000);
    progress.unref();

    for (const next of runSchedule(scenario)) {
      await sleepUntil(next.t);
      if (journal.aborted) break;
      if (next.kind === 'steady-before') {
        const steady = scenario.steadyState!;
        journal.records = load.records;
        journal.steadyState.push(...evaluateSteadyState(input(), steady, 'before', next.t - steady.windowMs, next.t));
        // As in Chaos Toolkit: no fault is injected into a system that was not steady to begin with.
        if (journal.steadyState.some((r) => !r.passed) && options.abortWhenUnsteady === false) {
          event('error', 'steady state not met before the first fault; measuring anyway (baseline), the run fails');
        } else if (journal.steadyState.some((r) => !r.passed)) {
          journal.aborted = 'steady state not met before the first fault';
          event('error', journal.aborted);
          load.stop();
          break;
        }
        continue;
      }
      const step = next.step!;
      if (next.kind === 'start') {
        const record: StepRecord = { name: step.name, type: step.fault.type, targets: targets.get(step.name)!, startMs: Math.round(load.elapsedMs()) };
        journal.steps.push(record);
        try {
          await injector.apply(step, record.targets);
          event('fault', `${step.name}: ${step.fault.type} on ${record.targets.join(', ')}`);
        } catch (error) {
          record.error = (error as Error).message;
          event('error', `${step.name}: ${record.error}`);
        }
      } else {
        const record = journal.steps.find((s) => s.name === step.name)!;
        const failed = await injector.heal(step);
        record.endMs = Math.round(load.elapsedMs());
        if (failed.length) record.healErrors = failed;
        event(failed.length ? 'error' : 'heal', `${step.name}: ${failed.length ? failed.join('; ') : 'healed'}`);
      }
    }
    await loadDone;
  } finally {
    clearInterval(progress);
    options.signal?.removeEventListener('abort', onAbort);
    load.stop();
    const rollback = await injector.rollbackAll();
    if (rollback.undone.length) event(rollback.failed.length ? 'error' : 'rollback', rollback.failed.length ? `failed: ${rollback.failed.join('; ')}` : rollback.undone.join(', '));
    const end = Math.round(load.elapsedMs());
    for (const s of journal.steps) s.endMs ??= end;
    await loadDone?.catch(() => undefined);
    await observers.stop();
  }

  journal.records = [...load.records].sort((a, b) => a.t - b.t);
  if (journal.aborted) journal.durationMs = Math.min(scenario.load.durationMs, Math.ceil(load.elapsedMs()));
  journal.buckets = bucketize(journal.records, journal.durationMs);
  journal.clusterSamples = observers.clusterSamples;
  journal.clustersAvailable = observers.clustersAvailable && observers.clusterSamples.length > 0;
  journal.registrySamples = observers.registrySamples;
  if (!journal.aborted) {
    const steady = scenario.steadyState;
    if (steady) {
      // A scenario without steps has no "before": its whole-run window is judged once, as "after".
      journal.steadyState.push(...evaluateSteadyState(input(), steady, 'after', journal.durationMs - steady.windowMs, journal.durationMs));
    }
    journal.assertions = evaluateAssertions(input(), scenario.assertions);
  }
  journal.passed =
    !journal.aborted &&
    journal.steps.every((s) => !s.error && !s.healErrors) &&
    journal.steadyState.every((r) => r.passed) &&
    journal.assertions.every((r) => r.passed);

  const reports = options.reportDir ? await writeReports(journal, options.reportDir) : undefined;
  return { passed: journal.passed, journal, ...(reports ? { reports } : {}) };
}

/**
 * `load.warmup`: the scenario's load shape for that long before t = 0,
 * recorded nowhere but one summary line. Failures here are not the
 * scenario's (no fault is applied yet) but are printed, so a mesh that
 * cannot even warm up says so before its steady state fails.
 */
async function warmUp(scenario: Scenario, target: ChaosTarget, log: (line: string) => void, signal: AbortSignal | undefined): Promise<void> {
  const { warmupMs, ...shape } = scenario.load;
  const warm = new LoadGenerator({ baseUrl: target.gatewayUrl, ...shape, durationMs: warmupMs });
  const stop = () => warm.stop();
  signal?.addEventListener('abort', stop, { once: true });
  log(`  warm-up: ${describeLoad(scenario.load)} for ${warmupMs} ms, not measured`);
  try {
    const records = await warm.run();
    const failed = records.filter(isError).length;
    log(`  warm-up: ${records.length} requests, ${failed} failed`);
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
