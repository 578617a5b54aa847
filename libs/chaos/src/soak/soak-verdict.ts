import { isError, type RequestRecord } from '../load/request-record.js';
import type { FaultWindow, ProcessSample, SoakInput } from './soak-sample.js';

export interface ProcessVerdict {
  readonly name: string;
  /** Samples taken, judged or not. */
  readonly samples: number;
  /** Distinct pids seen minus one: how often a scenario restarted it. */
  readonly restarts: number;
  /** Median RSS of the judged samples of the second and of the last quarter; null without samples there. */
  readonly rssQ2Bytes: number | null;
  readonly rssQ4Bytes: number | null;
  /** (q4 - q2) / q2; null when a quarter had no judged sample. */
  readonly rssGrowth: number | null;
  readonly fdsQ2: number | null;
  readonly fdsQ4: number | null;
  readonly fdGrowth: number | null;
  readonly maxHeapUsedBytes: number | null;
  readonly maxEventLoopP99Ms: number | null;
  readonly maxActiveHandles: number | null;
  readonly passed: boolean;
  readonly reasons: readonly string[];
}

export interface RequestVerdict {
  readonly total: number;
  /** Errors whose [due, answered] overlaps a fault window: expected, bounded by the scenarios' own assertions. */
  readonly errorsInWindows: number;
  /** No answer before the deadline (anywhere). */
  readonly lostNoAnswer: number;
  /** An error answer outside every fault window. */
  readonly lostErrors: number;
  readonly lost: number;
  /** The first lost requests, for the report. */
  readonly lostExamples: readonly RequestRecord[];
}

export interface SoakVerdict {
  readonly passed: boolean;
  readonly processes: readonly ProcessVerdict[];
  readonly requests: RequestVerdict;
  /** One line per reason the soak failed; empty when it passed. */
  readonly reasons: readonly string[];
  /** The judged span: quarters are of [warmupMs, durationMs]. */
  readonly quarters: { readonly q2: readonly [number, number]; readonly q4: readonly [number, number] };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const growth = (from: number | null, to: number | null) => (from === null || to === null || from <= 0 ? null : (to - from) / from);
const maxOf = (values: readonly (number | undefined)[]) => {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? Math.max(...present) : null;
};
const pct = (ratio: number) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

/** Requests that got no answer before their deadline: the load generator's timeout, or never sent because nothing answered. */
const NO_ANSWER = new Set(['timeout', 'client overloaded']);

export function judgeRequests(records: readonly RequestRecord[], windows: readonly FaultWindow[]): RequestVerdict {
  let errorsInWindows = 0;
  let lostNoAnswer = 0;
  let lostErrors = 0;
  const lostExamples: RequestRecord[] = [];
  for (const r of records) {
    if (!isError(r)) continue;
    if (r.status === 0 && r.error !== undefined && NO_ANSWER.has(r.error)) lostNoAnswer++;
    // Its whole life, due to answered, counts: a request sent just before a fault and failed by it is the fault's.
    else if (windows.some((w) => r.t <= w.to && r.t + r.latencyMs >= w.from)) {
      errorsInWindows++;
      continue;
    } else lostErrors++;
    if (lostExamples.length < 20) lostExamples.push(r);
  }
  return { total: records.length, errorsInWindows, lostNoAnswer, lostErrors, lost: lostNoAnswer + lostErrors, lostExamples };
}

/**
 * Per process name: medians (a GC or a burst of connections is one spike,
 * not a trend) of the second and the last quarter of the judged span, which
 * starts after the warm-up. Samples of a pid younger than restartWarmupMs are
 * skipped, so a process restarted by a scenario is compared warm to warm.
 */
export function judgeProcess(name: string, samples: readonly ProcessSample[], input: SoakInput, q2: readonly [number, number], q4: readonly [number, number]): ProcessVerdict {
  const firstSeen = new Map<number, number>();
  for (const s of samples) if (!firstSeen.has(s.pid)) firstSeen.set(s.pid, s.t);
  const initialPid = samples[0]?.pid;
  // The first pid was running before the soak started: only the soak's warm-up applies to it.
  const judged = samples.filter((s) => s.t >= input.warmupMs && (s.pid === initialPid || s.t - firstSeen.get(s.pid)! >= input.restartWarmupMs));
  // Growth is judged on the steady samples of a quarter, outside every fault window: while an instance is
  // killed, the fault proxy and its callers hold fewer connections, and a quarter that happens to contain a
  // kill would otherwise look like fd growth in the next. A quarter with no steady sample is judged on all of its own.
  const inQ = (q: readonly [number, number]) => {
    const all = judged.filter((s) => s.t >= q[0] && s.t <= q[1]);
    const steady = all.filter((s) => !input.windows.some((w) => s.t >= w.from && s.t <= w.to));
    return steady.length ? steady : all;
  };
  const s2 = inQ(q2);
  const s4 = inQ(q4);
  const rssQ2Bytes = median(s2.map((s) => s.rssBytes));
  const rssQ4Bytes = median(s4.map((s) => s.rssBytes));
  const fdsQ2 = median(s2.map((s) => s.fds));
  const fdsQ4 = median(s4.map((s) => s.fds));
  const rssGrowth = growth(rssQ2Bytes, rssQ4Bytes);
  const fdGrowth = growth(fdsQ2, fdsQ4);
  const reasons: string[] = [];
  if (rssGrowth !== null && rssGrowth > input.maxRssGrowth) reasons.push(`${name}: RSS grew ${pct(rssGrowth)} from the second to the last quarter (limit +${input.maxRssGrowth * 100}%)`);
  if (fdGrowth !== null && fdGrowth > input.maxFdGrowth) reasons.push(`${name}: open fds grew ${pct(fdGrowth)} (${fdsQ2} -> ${fdsQ4}) from the second to the last quarter (limit +${input.maxFdGrowth * 100}%)`);
  if (s2.length > 0 && s4.length === 0) reasons.push(`${name}: not running (no sample) in the last quarter`);
  return {
    name,
    samples: samples.length,
    restarts: firstSeen.size - 1,
    rssQ2Bytes,
    rssQ4Bytes,
    rssGrowth,
    fdsQ2,
    fdsQ4,
    fdGrowth,
    maxHeapUsedBytes: maxOf(judged.map((s) => s.heapUsedBytes)),
    maxEventLoopP99Ms: maxOf(judged.map((s) => s.eventLoopP99Ms)),
    maxActiveHandles: maxOf(judged.map((s) => s.activeHandles)),
    passed: reasons.length === 0,
    reasons,
  };
}

/**
 * The soak's verdict, from its samples and records alone (no clock, no I/O):
 * it fails when a process's RSS grows more than maxRssGrowth or its open fds
 * more than maxFdGrowth between the second and the last quarter, when a
 * request of the background load is lost (no answer before its deadline
 * anywhere, or an error outside every fault window), or when a looped
 * scenario failed its own assertions (one aborted before its first fault
 * because the mesh was not steady is inconclusive: reported, not failed).
 */
export function judgeSoak(input: SoakInput): SoakVerdict {
  const span = Math.max(0, input.durationMs - input.warmupMs);
  const at = (f: number) => input.warmupMs + span * f;
  const q2 = [at(0.25), at(0.5)] as const;
  const q4 = [at(0.75), input.durationMs] as const;
  const byName = new Map<string, ProcessSample[]>();
  for (const s of [...input.samples].sort((a, b) => a.t - b.t)) (byName.get(s.name) ?? byName.set(s.name, []).get(s.name)!).push(s);
  const processes = [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, samples]) => judgeProcess(name, samples, input, q2, q4));
  const requests = judgeRequests(input.records, input.windows);
  const reasons = processes.flatMap((p) => p.reasons);
  if (requests.lostNoAnswer) reasons.push(`${requests.lostNoAnswer} request(s) got no answer before their deadline`);
  if (requests.lostErrors) reasons.push(`${requests.lostErrors} request(s) failed outside every fault window`);
  for (const s of input.scenarios) if (!s.passed && !s.inconclusive) reasons.push(`scenario ${s.name} (at ${(s.startMs / 1000).toFixed(0)} s) failed its own assertions: ${s.failures.join('; ')}`);
  if (byName.size === 0) reasons.push('no process was sampled');
  return { passed: reasons.length === 0, processes, requests, reasons, quarters: { q2, q4 } };
}
