import { Pool } from 'undici';
import { load, scrapeMetrics } from './http-load.js';
import { spawnRegistry } from './bench-processes.js';

export interface ConvergenceResult {
  readonly instances: number;
  /** From the first registration sent to zone-a until zone-b lists every instance. */
  readonly convergenceMs: number;
  /** From the last registration acknowledged by zone-a until zone-b lists every instance. */
  readonly convergenceAfterLastAckMs: number;
  readonly registrationErrors: number;
  /** The longest event-loop stall seen in either registry during the run (sending and applying batches). */
  readonly eventLoopDelayMaxMs: number;
  readonly converged: boolean;
}

/**
 * Item 4 of issue 17: two registry processes, zone-a replicating to zone-b;
 * `instances` registrations sent to zone-a over `connections` connections;
 * zone-b's /metrics polled every 25 ms for its instance count and event-loop
 * delay. Gives up `deadlineMs` after the last registration was acknowledged
 * (and 5 minutes after the start in any case).
 */
export async function measureConvergence(
  instances: number,
  connections: number,
  body: (i: number) => { path: string; body: string },
  deadlineMs = 30_000,
): Promise<ConvergenceResult> {
  const b = await spawnRegistry({ zone: 'zone-b', deltaRetentionMs: 180_000 });
  const a = await spawnRegistry({ zone: 'zone-a', deltaRetentionMs: 180_000, peers: [`${b.origin}/eureka`] }).catch(async (error: unknown) => {
    await b.stop();
    throw error;
  });
  const poolA = new Pool(a.origin, { connections: connections + 1 });
  const poolB = new Pool(b.origin, { connections: 2 });
  try {
    await Promise.all([scrapeMetrics(poolA), scrapeMetrics(poolB)]);
    let maxDelayB = 0;
    let convergedAt: number | undefined;
    let lastAck: number | undefined = undefined; // set once the registrations are all acknowledged
    const started = Date.now();
    const watching = () =>
      convergedAt === undefined && Date.now() - started < 300_000 && (lastAck === undefined || Date.now() - lastAck < deadlineMs);
    const watch = (async () => {
      while (watching()) {
        const seen = await scrapeMetrics(poolB, ['zonemesh_registry_instances']);
        maxDelayB = Math.max(maxDelayB, seen.maxMs);
        if (seen.sums.zonemesh_registry_instances >= instances) convergedAt = Date.now();
        else await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    const registrations = await load(poolA, instances, connections, (i) => ({ method: 'POST', ...body(i), expect: 204 }));
    lastAck = Date.now();
    await watch;
    const delayA = await scrapeMetrics(poolA);
    const end = convergedAt ?? Date.now();
    return {
      instances,
      convergenceMs: end - started,
      convergenceAfterLastAckMs: Math.max(0, end - lastAck),
      registrationErrors: registrations.errors,
      eventLoopDelayMaxMs: Math.max(maxDelayB, delayA.maxMs),
      converged: convergedAt !== undefined,
    };
  } finally {
    await Promise.all([poolA.close(), poolB.close()]);
    await Promise.all([a.stop(), b.stop()]);
  }
}
