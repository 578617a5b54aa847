import { readdir, readFile } from 'node:fs/promises';
import { readPromGauges, type ProcessSample } from '@zonemesh/chaos';
import type { ManagedProcess } from '../mesh/managed-process.js';

/** prom-client's default metrics (libs/telemetry registers them in every process). */
const HEAP = 'nodejs_heap_size_used_bytes';
const EVENT_LOOP_P99 = 'nodejs_eventloop_lag_p99_seconds';
const HANDLES = 'nodejs_active_handles_total';

/** VmRSS of a live pid in bytes; undefined once it is gone. */
export async function readRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

export async function countOpenFds(pid: number): Promise<number | undefined> {
  try {
    return (await readdir(`/proc/${pid}/fd`)).length;
  } catch {
    return undefined;
  }
}

async function readMetrics(url: string, timeoutMs: number): Promise<Record<string, number>> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return response.ok ? readPromGauges(text, [HEAP, EVENT_LOOP_P99, HANDLES]) : {};
  } catch {
    return {};
  }
}

/**
 * One reading of every mesh process this CLI runs, looked up by name at each
 * tick: after a scenario restarts an instance, the same name has a new pid
 * and the samples follow it. A process that is down at that instant (killed,
 * not yet restarted) gives no sample rather than a zero. RSS and fds come
 * from /proc (Linux); heap, event-loop delay and handles from its /metrics.
 */
export async function sampleProcesses(processes: readonly ManagedProcess[], t: number, metricsTimeoutMs = 800): Promise<ProcessSample[]> {
  const samples = await Promise.all(
    processes.map(async (proc): Promise<ProcessSample | undefined> => {
      const pid = proc.pid;
      if (pid === undefined || proc.hasExited) return undefined;
      const [rssBytes, fds, metrics] = await Promise.all([readRssBytes(pid), countOpenFds(pid), readMetrics(proc.spec.metricsUrl, metricsTimeoutMs)]);
      if (rssBytes === undefined || fds === undefined) return undefined;
      return {
        t,
        name: proc.spec.name,
        pid,
        rssBytes,
        fds,
        ...(metrics[HEAP] !== undefined ? { heapUsedBytes: metrics[HEAP] } : {}),
        ...(metrics[EVENT_LOOP_P99] !== undefined ? { eventLoopP99Ms: Math.round(metrics[EVENT_LOOP_P99] * 1e5) / 100 } : {}),
        ...(metrics[HANDLES] !== undefined ? { activeHandles: metrics[HANDLES] } : {}),
      };
    }),
  );
  return samples.filter((s): s is ProcessSample => s !== undefined);
}
