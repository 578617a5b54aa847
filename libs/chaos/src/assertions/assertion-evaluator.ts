import type { AssertionResult } from '../journal.js';
import { isError, type RequestRecord } from '../load/request-record.js';
import { recordsBetween, windowStats, zoneShare } from '../measure/window-stats.js';
import type { Assertion, ShareCondition, StatusFilter, SteadyState, TargetSelector } from '../scenario/scenario.js';
import { matchesTarget } from '../targets/target-selector.js';
import { resolveWindow, stepTimes, type EvaluationInput } from './evaluation-input.js';

const ms = (v: number) => `${Math.round(v)} ms`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function shareHolds(condition: ShareCondition, share: number): boolean {
  return (condition.min === undefined || share >= condition.min) && (condition.max === undefined || share <= condition.max);
}

function shareThreshold(condition: ShareCondition): string {
  return [condition.min !== undefined ? `>= ${condition.min}` : '', condition.max !== undefined ? `<= ${condition.max}` : ''].filter(Boolean).join(' and ');
}

/**
 * The first slice start in [ref, ref + within] from which `holds` is true for
 * every slice up to `holdEnd(start)` — slices without evidence neither break
 * nor make the run. Undefined when it never happens in time.
 */
function firstHolding(
  input: EvaluationInput,
  ref: number,
  withinMs: number,
  windowEnd: number,
  holdEnd: (start: number) => number,
  holds: (from: number, to: number) => boolean | undefined,
): number | undefined {
  const step = input.bucketMs;
  // A start must leave at least one whole slice before the window ends: a
  // few-millisecond sliver at the edge holds one request or none, and
  // "held" on that is no evidence (it passed a share the window never had).
  for (let start = ref; start <= ref + withinMs && start + step <= windowEnd; start += step) {
    const end = Math.min(windowEnd, holdEnd(start));
    let evidence = false;
    let ok = true;
    for (let t = start; t < end; t += step) {
      const verdict = holds(t, Math.min(end, t + step));
      if (verdict === undefined) continue;
      evidence = true;
      if (!verdict) {
        ok = false;
        break;
      }
    }
    if (ok && evidence) return start;
  }
  return undefined;
}

function evaluateShare(
  input: EvaluationInput,
  a: { name: string; kind: string; condition: ShareCondition; withinMs: number; holdMs?: number },
  ref: number,
  windowEnd: number,
): AssertionResult {
  const c = a.condition;
  const shareIn = (from: number, to: number) => {
    const stats = windowStats(shareRecords(recordsBetween(input.records, from, to), c));
    return zoneShare(stats.served, c.zone, c.service, stats.errors);
  };
  const reached = firstHolding(
    input,
    ref,
    a.withinMs,
    windowEnd,
    (start) => (a.holdMs !== undefined ? start + a.holdMs : windowEnd),
    (from, to) => {
      const share = shareIn(from, to);
      return share === undefined ? undefined : shareHolds(c, share);
    },
  );
  const what = `share of ${c.service ?? 'all hops'} served in ${c.zone}${leftOut(c)}`;
  if (reached === undefined) {
    const late = shareIn(ref + a.withinMs, windowEnd);
    return {
      name: a.name,
      kind: a.kind,
      phase: 'run',
      passed: false,
      value: null,
      unit: 'ms',
      threshold: `<= ${ms(a.withinMs)}`,
      detail: `${what} never held ${shareThreshold(c)} within ${ms(a.withinMs)} (${late === undefined ? 'no answers' : pct(late)} afterwards)`,
    };
  }
  const end = a.holdMs !== undefined ? Math.min(windowEnd, reached + a.holdMs) : windowEnd;
  const held = shareIn(reached, end);
  return {
    name: a.name,
    kind: a.kind,
    phase: 'run',
    passed: true,
    value: reached - ref,
    unit: 'ms',
    threshold: `<= ${ms(a.withinMs)}`,
    reachedAtMs: reached,
    detail: `${what} ${shareThreshold(c)} after ${ms(reached - ref)}; ${held === undefined ? '-' : pct(held)} from then to ${ms(end)}`,
  };
}

function servedByTarget(record: RequestRecord, target: TargetSelector): boolean {
  return !!record.servedBy && Object.values(record.servedBy).some((id) => matchesTarget(target, id));
}

function evaluateEjected(input: EvaluationInput, a: Extract<Assertion, { kind: 'ejected' }>): AssertionResult {
  const { start: ref, end: stepEnd } = stepTimes(input, a.step);
  const base = { name: a.name, kind: a.kind, phase: 'run' as const, unit: 'ms' as const, threshold: `<= ${ms(a.withinMs)}` };
  const known = new Set<string>();
  for (const s of input.clusterSamples) for (const e of s.endpoints) if (matchesTarget(a.target, e.id)) known.add(e.id);

  if (input.clustersAvailable && known.size > 0) {
    // Ejected once the gateway reports none of the target's endpoints as taking traffic.
    const sample = input.clusterSamples.find(
      (s) => s.t >= ref && s.t <= stepEnd && s.endpoints.filter((e) => known.has(e.id)).every((e) => !e.available),
    );
    if (!sample) return { ...base, passed: false, value: null, source: 'admin', detail: `/admin/clusters still showed ${[...known].join(', ')} available until the step ended` };
    const elapsed = sample.t - ref;
    return {
      ...base,
      passed: elapsed <= a.withinMs,
      value: elapsed,
      reachedAtMs: sample.t,
      source: 'admin',
      detail: `${known.size} endpoint(s) out of rotation in /admin/clusters after ${ms(elapsed)}`,
    };
  }

  // No admin evidence: ejected once traffic flows error-free without the target.
  const before = recordsBetween(input.records, 0, ref).filter((r) => servedByTarget(r, a.target)).length;
  const reached = firstHolding(
    input,
    ref,
    a.withinMs,
    stepEnd,
    (start) => start + 2000,
    (from, to) => {
      const slice = recordsBetween(input.records, from, to);
      if (slice.length === 0) return undefined;
      return slice.every((r) => !isError(r) && !servedByTarget(r, a.target));
    },
  );
  if (reached === undefined) {
    return { ...base, passed: false, value: null, source: 'traffic', detail: `traffic did not flow error-free around the target within ${ms(a.withinMs)}` };
  }
  return {
    ...base,
    passed: true,
    value: reached - ref,
    reachedAtMs: reached,
    source: 'traffic',
    detail: `no answers from the target and no errors from ${ms(reached - ref)} on (inferred from traffic; ${before} answers from it before the fault)`,
  };
}

function evaluateRegistryConvergence(input: EvaluationInput, a: Extract<Assertion, { kind: 'registry_convergence' }>): AssertionResult {
  const ref = a.step ? stepTimes(input, a.step)[a.from] : 0;
  const zones = a.zones ?? input.registryZones;
  const latest = new Map<string, number | undefined>();
  let reached: number | undefined;
  for (const s of [...input.registrySamples].sort((x, y) => x.t - y.t)) {
    if (s.t < ref) continue;
    latest.set(s.zone, s.instances);
    if (zones.every((z) => (latest.get(z) ?? -1) >= a.instances)) {
      reached = s.t;
      break;
    }
  }
  const base = { name: a.name, kind: a.kind, phase: 'run' as const, unit: 'ms' as const, threshold: `<= ${ms(a.withinMs)}`, source: 'registry' as const };
  if (reached === undefined) {
    const seen = zones.map((z) => `${z}: ${latest.get(z) ?? 'no answer'}`).join(', ');
    return { ...base, passed: false, value: null, detail: `registries never all listed ${a.instances} instances (last: ${seen})` };
  }
  return {
    ...base,
    passed: reached - ref <= a.withinMs,
    value: reached - ref,
    reachedAtMs: reached,
    detail: `${zones.join(', ')} listed >= ${a.instances} instances after ${ms(reached - ref)}`,
  };
}

function evaluateNoEviction(input: EvaluationInput, a: Extract<Assertion, { kind: 'no_eviction' }>): AssertionResult {
  const { from, to } = resolveWindow(input, a.window);
  const zones = a.zones ?? input.registryZones;
  const samples = input.registrySamples.filter((s) => s.t >= from && s.t < to && s.instances !== undefined && zones.includes(s.zone));
  const min = samples.length ? Math.min(...samples.map((s) => s.instances!)) : null;
  const silent = zones.filter((z) => !samples.some((s) => s.zone === z));
  const passed = min !== null && min >= a.instances && silent.length === 0;
  return {
    name: a.name,
    kind: a.kind,
    phase: 'run',
    passed,
    value: min,
    unit: 'count',
    threshold: `>= ${a.instances}`,
    source: 'registry',
    detail: silent.length ? `no answer from ${silent.join(', ')} between ${ms(from)} and ${ms(to)}` : `fewest instances listed between ${ms(from)} and ${ms(to)}: ${min}`,
  };
}

function leftOut(c: ShareCondition): string {
  return c.exceptStatus ? ` (status ${c.exceptStatus.join('/')} left out)` : '';
}

/** The answers a share counts: all but the share's `except_status` ones. */
function shareRecords(records: readonly RequestRecord[], c: ShareCondition): readonly RequestRecord[] {
  const except = c.exceptStatus;
  return except ? records.filter((r) => !except.includes(r.status)) : records;
}

function statusMatches(filter: StatusFilter, record: RequestRecord): boolean {
  if (filter.only) return filter.only.includes(record.status);
  return !filter.except!.includes(record.status);
}

function statusText(filter: StatusFilter): string {
  return filter.only ? `status ${filter.only.join('/')}` : `other than status ${filter.except!.join('/')}`;
}

/**
 * The gateway's breakers for a cluster, from the last /admin/clusters sample
 * (peak and overflow are counted since the channel started; several channels
 * of one cluster are summed for overflow, the highest peak is taken).
 */
function evaluateCircuitBreaker(input: EvaluationInput, a: Extract<Assertion, { kind: 'circuit_breaker' }>): AssertionResult {
  const base = { name: a.name, kind: a.kind, phase: 'run' as const, unit: 'count' as const, source: 'admin' as const };
  const last = [...input.clusterSamples].reverse().find((s) => s.breakers?.some((b) => b.cluster === a.cluster));
  const breakers = last?.breakers?.filter((b) => b.cluster === a.cluster) ?? [];
  const bounds = [
    a.maxInFlight !== undefined ? `in flight <= ${a.maxInFlight}` : 'in flight <= max_requests',
    a.minOverflow !== undefined ? `overflow >= ${a.minOverflow}` : undefined,
    a.maxOverflow !== undefined ? `overflow <= ${a.maxOverflow}` : undefined,
  ].filter(Boolean).join(', ');
  if (breakers.length === 0) return { ...base, passed: false, value: null, threshold: bounds, detail: `no circuit breakers of ${a.cluster} in /admin/clusters` };
  const peak = Math.max(...breakers.map((b) => b.peakRequests));
  const limit = Math.min(...breakers.map((b) => b.maxRequests));
  const overflow = breakers.reduce((sum, b) => sum + b.overflow, 0);
  const passed =
    peak <= limit &&
    (a.maxInFlight === undefined || peak <= a.maxInFlight) &&
    (a.minOverflow === undefined || overflow >= a.minOverflow) &&
    (a.maxOverflow === undefined || overflow <= a.maxOverflow);
  return { ...base, passed, value: peak, threshold: bounds, detail: `peak ${peak} attempts in flight (max_requests ${limit}), ${overflow} calls refused` };
}

function windowResult(
  input: EvaluationInput,
  name: string,
  kind: 'error_rate' | 'p99' | 'share' | 'mean_share',
  phase: AssertionResult['phase'],
  from: number,
  to: number,
  bound: { max?: number; condition?: ShareCondition; statuses?: StatusFilter },
): AssertionResult {
  const records = recordsBetween(input.records, from, to);
  const filter = bound.statuses;
  const stats = windowStats(filter && kind === 'p99' ? records.filter((r) => statusMatches(filter, r)) : records);
  const span = `${ms(from)}-${ms(to)}, ${stats.requests} requests`;
  if (filter && kind === 'error_rate') {
    // The share of all requests that failed with (or without) the given statuses: e.g. how many calls a circuit breaker shed.
    const errors = records.filter((r) => isError(r) && statusMatches(filter, r)).length;
    const rate = records.length === 0 ? 0 : errors / records.length;
    if (records.length === 0) return { name, kind, phase, passed: false, value: null, unit: 'ratio', threshold: '-', detail: `no requests in ${span}` };
    return { name, kind, phase, passed: rate <= bound.max!, value: rate, unit: 'ratio', threshold: `<= ${bound.max}`, detail: `${errors} errors ${statusText(filter)} (${pct(rate)}) in ${span}` };
  }
  if (stats.requests === 0) {
    return { name, kind, phase, passed: false, value: null, unit: kind === 'p99' ? 'ms' : 'ratio', threshold: '-', detail: `no requests in ${span}` };
  }
  if (kind === 'error_rate') {
    return { name, kind, phase, passed: stats.errorRate <= bound.max!, value: stats.errorRate, unit: 'ratio', threshold: `<= ${bound.max}`, detail: `${stats.errors} errors (${pct(stats.errorRate)}) in ${span}` };
  }
  if (kind === 'p99') {
    const of = filter ? ` of answers with ${statusText(filter)}` : '';
    return { name, kind, phase, passed: stats.p99Ms! <= bound.max!, value: stats.p99Ms!, unit: 'ms', threshold: `<= ${ms(bound.max!)}`, detail: `p99${of} ${ms(stats.p99Ms!)} (p50 ${ms(stats.p50Ms!)}) in ${span}` };
  }
  const c = bound.condition!;
  const counted = c.exceptStatus ? windowStats(shareRecords(records, c)) : stats;
  const share = zoneShare(counted.served, c.zone, c.service, counted.errors);
  return {
    name,
    kind,
    phase,
    passed: share !== undefined && shareHolds(c, share),
    value: share ?? null,
    unit: 'ratio',
    threshold: shareThreshold(c),
    detail: `${share === undefined ? 'no answers' : pct(share)} of ${c.service ?? 'all hops'} served in ${c.zone}${leftOut(c)} in ${span}`,
  };
}

/** Judges one assertion on the journal; never throws for missing evidence (that is a failed assertion). */
export function evaluateAssertion(input: EvaluationInput, a: Assertion): AssertionResult {
  try {
    switch (a.kind) {
      case 'ejected':
        return evaluateEjected(input, a);
      case 'share': {
        const { start, end } = stepTimes(input, a.step);
        return evaluateShare(input, a, a.from === 'start' ? start : end, a.from === 'start' ? end : input.durationMs);
      }
      case 'failback':
        return evaluateShare(input, a, stepTimes(input, a.step).end, input.durationMs);
      case 'mean_share': {
        const { from, to } = resolveWindow(input, a.window);
        return windowResult(input, a.name, 'mean_share', 'run', from, to, { condition: a.condition });
      }
      case 'error_rate': {
        const { from, to } = resolveWindow(input, a.window);
        return windowResult(input, a.name, 'error_rate', 'run', from, to, { max: a.max, ...(a.statuses ? { statuses: a.statuses } : {}) });
      }
      case 'p99': {
        const { from, to } = resolveWindow(input, a.window);
        return windowResult(input, a.name, 'p99', 'run', from, to, { max: a.maxMs, ...(a.statuses ? { statuses: a.statuses } : {}) });
      }
      case 'registry_convergence':
        return evaluateRegistryConvergence(input, a);
      case 'no_eviction':
        return evaluateNoEviction(input, a);
      case 'circuit_breaker':
        return evaluateCircuitBreaker(input, a);
    }
  } catch (error) {
    return { name: a.name, kind: a.kind, phase: 'run', passed: false, value: null, unit: 'ms', threshold: '-', detail: (error as Error).message };
  }
}

export function evaluateAssertions(input: EvaluationInput, assertions: readonly Assertion[]): AssertionResult[] {
  return assertions.map((a) => evaluateAssertion(input, a));
}

/** The steady-state hypothesis over [from, to): one result per condition it states. */
export function evaluateSteadyState(
  input: EvaluationInput,
  steady: SteadyState,
  phase: 'before' | 'after',
  from: number,
  to: number,
): AssertionResult[] {
  const results: AssertionResult[] = [];
  const label = (what: string) => `steady state ${phase}: ${what}`;
  if (steady.maxErrorRate !== undefined) results.push(windowResult(input, label('error rate'), 'error_rate', phase, from, to, { max: steady.maxErrorRate }));
  if (steady.maxP99Ms !== undefined) results.push(windowResult(input, label('p99'), 'p99', phase, from, to, { max: steady.maxP99Ms }));
  if (steady.share) {
    results.push(windowResult(input, label(`share ${steady.share.service ?? 'all'}@${steady.share.zone}`), 'share', phase, from, to, { condition: steady.share }));
  }
  return results;
}
