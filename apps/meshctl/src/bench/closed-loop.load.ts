import { Pool } from 'undici';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/**
 * Closed-loop load: `connections` workers each send the next request as soon
 * as the previous answered, for `durationMs` (and at most `maxRequests`), to
 * a loopback URL. Measures the server's throughput ceiling, which is what a
 * ratio against a baseline in the same run needs.
 */
export async function closedLoopLoad(options: {
  readonly origin: string;
  readonly paths: readonly string[];
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests?: number;
  readonly headers?: Record<string, string>;
}): Promise<LoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const max = options.maxRequests ?? 5_000_000;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && sent < max) {
      const path = options.paths[sent++ % options.paths.length]!;
      const t0 = performance.now();
      try {
        const { statusCode, body } = await pool.request({ method: 'GET', path, headers: options.headers });
        await body.dump();
        if (statusCode >= 500) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
