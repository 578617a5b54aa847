import type { Pool } from 'undici';

export interface LoadResult {
  readonly count: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly body?: string;
  readonly expect: number;
}

/** Sends `count` requests built by `make(i)` over `connections` concurrent workers; latencies per request. */
export async function load(pool: Pool, count: number, connections: number, make: (i: number) => LoadRequest): Promise<LoadResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const request = make(i);
      const t0 = process.hrtime.bigint();
      try {
        const response = await pool.request({
          method: request.method,
          path: request.path,
          body: request.body,
          headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
        });
        await response.body.dump();
        if (response.statusCode !== request.expect) errors++;
      } catch {
        errors++;
      }
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count, errors, perSecond: count / seconds, p50Ms: quantile(0.5), p99Ms: quantile(0.99) };
}

export interface TimedGet {
  readonly ms: number;
  readonly bytes: number;
  readonly status: number;
  readonly etag: string | undefined;
  readonly body: Buffer;
}

/** One GET, timed from sending to the last body byte. */
export async function timedGet(pool: Pool, path: string, headers: Record<string, string>): Promise<TimedGet> {
  const t0 = process.hrtime.bigint();
  const response = await pool.request({ method: 'GET', path, headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  const etag = response.headers.etag;
  return {
    ms: Number(process.hrtime.bigint() - t0) / 1e6,
    bytes: body.length,
    status: response.statusCode,
    etag: typeof etag === 'string' ? etag : undefined,
    body,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** prom-client samples the event loop every 10 ms and reports the whole interval: the delay is what exceeds it. */
const EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * Scrapes `/metrics` and returns the event-loop delay prom-client measured
 * since the previous scrape (its histogram resets on every collect), in ms
 * beyond the sampling interval, plus any gauge asked for by name (summed over labels).
 */
export async function scrapeMetrics(pool: Pool, sums: readonly string[] = []): Promise<{ p99Ms: number; maxMs: number; sums: Record<string, number> }> {
  const response = await pool.request({ method: 'GET', path: '/metrics' });
  const text = await response.body.text();
  const value = (name: string): number => {
    let total = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  };
  const delay = (name: string) => Math.max(0, value(name) * 1000 - EVENT_LOOP_RESOLUTION_MS);
  return {
    p99Ms: delay('nodejs_eventloop_lag_p99_seconds'),
    maxMs: delay('nodejs_eventloop_lag_max_seconds'),
    sums: Object.fromEntries(sums.map((name) => [name, value(name)])),
  };
}
