import { Pool } from 'undici';
import { scrapeMetrics } from './http-load.js';

export interface DeltaPollResult {
  readonly clients: number;
  readonly seconds: number;
  readonly requests: number;
  readonly full: number;
  readonly notModified: number;
  readonly errors: number;
  /** Changes made during the run (one status change per second), each a new delta for every client. */
  readonly changes: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
}

/**
 * `clients` Eureka clients polling `/apps/delta` every second (gzip, with
 * If-None-Match, as a client that keeps the last ETag does) for `seconds`,
 * while one instance changes status every second, so every client fetches
 * one new delta per second and 304s the rest. Returns what they saw and the
 * registry's event-loop delay over the run (from its /metrics).
 */
export async function pollDeltas(origin: string, options: { clients: number; seconds: number; changeOnce: (n: number) => Promise<void> }): Promise<DeltaPollResult> {
  const pool = new Pool(origin, { connections: options.clients + 2 });
  let full = 0;
  let notModified = 0;
  let errors = 0;
  let changes = 0;
  try {
    await scrapeMetrics(pool); // resets the delay histogram: what follows is the run only
    const started = Date.now();
    const endsAt = started + options.seconds * 1000;
    const client = async (index: number): Promise<void> => {
      let etag: string | undefined;
      // Spread the clients over the second, as independent clients would be.
      let nextAt = started + (index * 1000) / options.clients;
      while (nextAt < endsAt) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - Date.now())));
        nextAt += 1000;
        try {
          const response = await pool.request({
            method: 'GET',
            path: '/eureka/apps/delta',
            headers: { accept: 'application/json', 'accept-encoding': 'gzip', ...(etag === undefined ? {} : { 'if-none-match': etag }) },
            headersTimeout: 5_000,
            bodyTimeout: 5_000,
          });
          await response.body.dump({ limit: 64 * 1024 * 1024 });
          if (response.statusCode === 304) notModified++;
          else if (response.statusCode === 200) {
            full++;
            etag = typeof response.headers.etag === 'string' ? response.headers.etag : undefined;
          } else errors++;
        } catch {
          errors++;
        }
      }
    };
    const changer = async (): Promise<void> => {
      for (let at = started + 500; at < endsAt; at += 1000) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
        await options.changeOnce(changes++);
      }
    };
    await Promise.all([changer(), ...Array.from({ length: options.clients }, (_, i) => client(i))]);
    const delay = await scrapeMetrics(pool);
    return {
      clients: options.clients,
      seconds: options.seconds,
      requests: full + notModified + errors,
      full,
      notModified,
      errors,
      changes,
      eventLoopDelayP99Ms: delay.p99Ms,
      eventLoopDelayMaxMs: delay.maxMs,
    };
  } finally {
    await pool.close();
  }
}
