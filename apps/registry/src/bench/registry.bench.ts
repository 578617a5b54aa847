import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { springRegisterBody } from '../spring-register-body.js';
import { rssBytes, spawnBareFastify, spawnRegistry } from './bench-processes.js';
import { pollDeltas } from './delta-pollers.js';
import { type LoadResult, load, median, timedGet } from './http-load.js';
import { measureConvergence } from './replication-convergence.js';

/** Options of one benchmark run; every count is bounded so a run stays under a few minutes. */
export interface RegistryBenchOptions {
  /** Registry sizes to measure, each against a fresh registry process (default [10 000, 50 000]). */
  readonly instances?: readonly number[];
  /** Concurrent HTTP connections from the load generator (default 32). */
  readonly connections?: number;
  /** Renewals sent per size, cycling over the instances (default 50 000; at least one per instance up to this cap). */
  readonly maxRenewals?: number;
  /** Requests sent to the bare Fastify route for the baseline (default 50 000). */
  readonly baselineRequests?: number;
  /** Full-fetch rounds per size (a change, then the first read), against as many bare-buffer reads (default 5). */
  readonly fetchRounds?: number;
  /** Clients polling the delta every second, and for how long (default 100 for 10 s). */
  readonly pollClients?: number;
  readonly pollSeconds?: number;
  /** Registrations replicated from zone-a to zone-b for the convergence figure (default 10 000; 0 skips it). */
  readonly convergenceInstances?: number;
  /** Where the table goes (default stdout); the last line printed is the JSON summary. */
  readonly print?: (line: string) => void;
}

/**
 * The delta window of the measured registries: long enough that the delta
 * read right after the registrations still lists every instance (as
 * Eureka's 3 minutes would), short enough that it empties within the run
 * and the delta polling is measured in steady state.
 */
const DELTA_WINDOW_MS = 30_000;

function instanceBody(i: number): string {
  const app = `APP-${i % 100}`;
  return JSON.stringify(
    springRegisterBody({
      instanceId: `bench-${i}`,
      hostName: `host-${i}`,
      app,
      ipAddr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      // Leases outlive the run: on a starved machine 50k registrations can take minutes, and evictions would skew every figure.
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 3_600 },
      metadata: { zone: i % 2 === 0 ? 'zone-a' : 'zone-b', version: 'v1' },
      homePageUrl: `http://host-${i}:8080/`,
      statusPageUrl: `http://host-${i}:8080/actuator/info`,
      healthCheckUrl: `http://host-${i}:8080/actuator/health`,
      vipAddress: app.toLowerCase(),
      secureVipAddress: app.toLowerCase(),
      lastDirtyTimestamp: '1700000000000',
    }),
  );
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

const renewalPath = (i: number) => `/eureka/apps/APP-${i % 100}/bench-${i}?status=UP&lastDirtyTimestamp=1700000000000`;
const JSON_PLAIN = { accept: 'application/json', 'accept-encoding': 'identity' };
const JSON_GZIP = { accept: 'application/json', 'accept-encoding': 'gzip' };

/** A status change on one instance: a new registry generation, one delta entry. */
async function changeOne(pool: Pool, n: number): Promise<void> {
  const response = await pool.request({
    method: 'PUT',
    path: `/eureka/apps/APP-${n % 100}/bench-${n}/status?value=${n % 2 === 0 ? 'OUT_OF_SERVICE' : 'UP'}`,
  });
  await response.body.dump();
}

/** Polls the delta until the window holds nothing (bounded): the steady state of a registry. */
async function waitForEmptyDelta(pool: Pool, deadlineMs: number): Promise<boolean> {
  const endsAt = Date.now() + deadlineMs;
  while (Date.now() < endsAt) {
    const delta = await timedGet(pool, '/eureka/apps/delta', JSON_PLAIN);
    if (delta.body.includes('"application":[]')) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/**
 * Measures one registry process over real loopback HTTP (undici Pool, a
 * bounded number of connections), per registry size:
 * - registrations/s, renewals/s and renewal latency, against a bare Fastify
 *   route answering the same renewals in the same run;
 * - the full `/eureka/apps` fetch (JSON): the first read after a change, as
 *   the median of rounds, each against a bare Fastify route serving a
 *   pre-built buffer of the same size (the ceiling for that payload); the
 *   cached second read; gzip;
 * - the delta: right after the registrations (all in the window), answered
 *   304 to its ETag (If-None-Match), and once the window emptied;
 * - 100 clients polling the delta every second while one instance changes
 *   per second: the registry's event-loop delay p99 (from its /metrics);
 * - RSS, and bytes per instance over an empty registry process;
 * and once, zone-a -> zone-b replication of 10k registrations. Prints
 * tables and, as the last line, `{"bench":"registry",...,"ratio":...}`.
 */
export async function runRegistryBench(options: RegistryBenchOptions = {}): Promise<Record<string, unknown>> {
  const sizes = options.instances ?? [10_000, 50_000];
  const connections = options.connections ?? 32;
  const maxRenewals = options.maxRenewals ?? 50_000;
  const baselineRequests = options.baselineRequests ?? 50_000;
  const fetchRounds = options.fetchRounds ?? 5;
  const pollClients = options.pollClients ?? 100;
  const pollSeconds = options.pollSeconds ?? 10;
  const convergenceInstances = options.convergenceInstances ?? 10_000;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));

  // The bare routes run for the whole bench and are measured right after
  // what they are compared with, so both see the same machine load (this box is shared).
  const bare = await spawnBareFastify();
  const barePool = new Pool(bare.origin, { connections });
  const measureBaseline = async (): Promise<LoadResult> => {
    await load(barePool, Math.min(2_000, baselineRequests), connections, (i) => ({ method: 'PUT', path: renewalPath(i), expect: 200 }));
    return load(barePool, baselineRequests, connections, (i) => ({ method: 'PUT', path: renewalPath(i), expect: 200 }));
  };
  let baseline: LoadResult | undefined;
  const results: Array<Record<string, number | boolean | undefined>> = [];
  let convergence: Awaited<ReturnType<typeof measureConvergence>> | undefined;
  try {
    for (const size of sizes) {
      const registry = await spawnRegistry({ zone: 'bench', deltaRetentionMs: DELTA_WINDOW_MS });
      const pool = new Pool(registry.origin, { connections, pipelining: 1 });
      try {
        const emptyRss = rssBytes(registry.child.pid);
        const registrations = await load(pool, size, connections, (i) => ({ method: 'POST', path: `/eureka/apps/APP-${i % 100}`, body: instanceBody(i), expect: 204 }));
        // Every instance is in the delta window now: the delta is as large as the registry.
        const delta = await timedGet(pool, '/eureka/apps/delta', JSON_GZIP);
        const renewalCount = Math.min(Math.max(size, 50_000), maxRenewals);
        // Warm-up (JIT, connections), as for the baseline; then the measured round.
        await load(pool, Math.min(5_000, renewalCount), connections, (i) => ({ method: 'PUT', path: renewalPath(i % size), expect: 200 }));
        const renewals = await load(pool, renewalCount, connections, (i) => ({ method: 'PUT', path: renewalPath(i % size), expect: 200 }));
        baseline = await measureBaseline();

        // Round 0 is the first read after the registrations; each later round follows one status change.
        const firstReads: number[] = [];
        const bareReads: number[] = [];
        let fullCold: Awaited<ReturnType<typeof timedGet>> | undefined;
        let fullWarmMs = 0;
        for (let round = 0; round < fetchRounds; round++) {
          if (round > 0) await changeOne(pool, round);
          const first = await timedGet(pool, '/eureka/apps', JSON_PLAIN);
          firstReads.push(first.ms);
          if (round === 0) {
            fullCold = first;
            fullWarmMs = (await timedGet(pool, '/eureka/apps', JSON_PLAIN)).ms;
            await timedGet(barePool, `/bare/${first.bytes}`, {}); // builds the bare buffer once
          }
          bareReads.push((await timedGet(barePool, `/bare/${first.bytes}`, {})).ms);
        }
        const fullGzip = await timedGet(pool, '/eureka/apps', JSON_GZIP);
        const delta304: number[] = [];
        const deltaNow = await timedGet(pool, '/eureka/apps/delta', JSON_GZIP);
        for (let i = 0; i < 5; i++) delta304.push((await timedGet(pool, '/eureka/apps/delta', { ...JSON_GZIP, 'if-none-match': deltaNow.etag ?? '' })).ms);
        const rss = rssBytes(registry.child.pid);

        const emptied = await waitForEmptyDelta(pool, DELTA_WINDOW_MS * 3);
        const deltaEmpty: Array<Awaited<ReturnType<typeof timedGet>>> = [];
        for (let i = 0; i < 5; i++) deltaEmpty.push(await timedGet(pool, '/eureka/apps/delta', JSON_GZIP));
        const poll = await pollDeltas(registry.origin, { clients: pollClients, seconds: pollSeconds, changeOnce: (n) => changeOne(pool, n + 100) });
        // Steady state: the delta window emptied, clients polling, garbage of the load collected by now.
        const steadyRss = rssBytes(registry.child.pid);

        const fullFetchMs = median(firstReads);
        const bareBufferMs = median(bareReads);
        results.push({
          instances: size,
          registrationsPerSec: round(registrations.perSecond, 0),
          registrationErrors: registrations.errors,
          renewals: renewalCount,
          renewalsPerSec: round(renewals.perSecond, 0),
          renewalErrors: renewals.errors,
          renewalP50Ms: round(renewals.p50Ms, 2),
          renewalP99Ms: round(renewals.p99Ms, 2),
          fullFetchMs: round(fullFetchMs),
          fullFetchFirstAfterRegistrationsMs: round(firstReads[0]),
          fullFetchCachedMs: round(fullWarmMs),
          fullFetchBytes: fullCold?.bytes,
          bareBufferMs: round(bareBufferMs),
          fullFetchVsBareBuffer: round(bareBufferMs / fullFetchMs, 3),
          fullFetchGzipMs: round(fullGzip.ms),
          fullFetchGzipBytes: fullGzip.bytes,
          deltaFetchMs: round(delta.ms),
          deltaGzipBytes: delta.bytes,
          deltaNotModifiedMs: round(median(delta304), 2),
          deltaWindowEmptied: emptied,
          deltaEmptyMs: round(median(deltaEmpty.map((d) => d.ms)), 2),
          deltaEmptyBytes: deltaEmpty[0]?.bytes,
          pollClients: poll.clients,
          pollSeconds: poll.seconds,
          pollRequests: poll.requests,
          pollFull: poll.full,
          pollNotModified: poll.notModified,
          pollErrors: poll.errors,
          pollChanges: poll.changes,
          eventLoopDelayP99Ms: round(poll.eventLoopDelayP99Ms, 2),
          eventLoopDelayMaxMs: round(poll.eventLoopDelayMaxMs, 2),
          rssBytes: rss,
          emptyRssBytes: emptyRss,
          bytesPerInstance: rss === undefined || emptyRss === undefined ? undefined : Math.round((rss - emptyRss) / size),
          steadyRssBytes: steadyRss,
          steadyBytesPerInstance: steadyRss === undefined || emptyRss === undefined ? undefined : Math.round((steadyRss - emptyRss) / size),
          baselineRps: round(baseline.perSecond, 0),
          renewalRatio: round(renewals.perSecond / baseline.perSecond, 3),
        });
      } finally {
        await pool.close();
        await registry.stop();
      }
    }
    if (convergenceInstances > 0) {
      convergence = await measureConvergence(convergenceInstances, connections, (i) => ({ path: `/eureka/apps/APP-${i % 100}`, body: instanceBody(i) })).catch(
        (error: unknown) => {
          // The per-size figures are already measured: report them with the reason instead of losing them.
          print(`replication convergence not measured: ${(error as Error).message}`);
          return undefined;
        },
      );
    }
  } finally {
    await barePool.close();
    await bare.stop();
  }

  const mb = (bytes: number | boolean | undefined) => (typeof bytes !== 'number' ? 'n/a' : `${round(bytes / 1_048_576)} MB`);
  print(`bare Fastify route (same PUT path and query, ${baselineRequests} requests, ${connections} connections), measured after each renewal run`);
  print('instances | reg/s | renew/s | renew p99 | bare req/s | ratio | full fetch (cached) | full size | gzip size | delta | RSS');
  for (const r of results) {
    print(
      `${r.instances} | ${r.registrationsPerSec} | ${r.renewalsPerSec} | ${r.renewalP99Ms} ms | ${r.baselineRps} | ${r.renewalRatio} | ` +
        `${r.fullFetchMs} ms (${r.fullFetchCachedMs} ms) | ${mb(r.fullFetchBytes)} | ${mb(r.fullFetchGzipBytes)} | ${r.deltaFetchMs} ms | ${mb(r.rssBytes)}`,
    );
  }
  print(`full fetch = median of ${fetchRounds} first reads after a change; bare buffer = a pre-built buffer of the same size from a bare Fastify route`);
  print('instances | full fetch | bare buffer | bare/full | delta 304 | delta, empty window | poll: clients, requests (200/304/err) | event-loop delay p99 (max) | RSS, bytes/instance: after the fetches; steady');
  for (const r of results) {
    print(
      `${r.instances} | ${r.fullFetchMs} ms | ${r.bareBufferMs} ms | ${r.fullFetchVsBareBuffer} | ${r.deltaNotModifiedMs} ms | ${r.deltaEmptyMs} ms (${r.deltaEmptyBytes} B) | ` +
        `${r.pollClients}, ${r.pollRequests} (${r.pollFull}/${r.pollNotModified}/${r.pollErrors}) | ${r.eventLoopDelayP99Ms} ms (${r.eventLoopDelayMaxMs} ms) | ` +
        `${mb(r.rssBytes)}, ${r.bytesPerInstance} B; ${mb(r.steadyRssBytes)}, ${r.steadyBytesPerInstance} B`,
    );
  }
  if (convergence !== undefined) {
    print(
      `replication zone-a -> zone-b, ${convergence.instances} registrations: converged ${convergence.converged ? 'yes' : 'NO'} in ${convergence.convergenceMs} ms ` +
        `(${convergence.convergenceAfterLastAckMs} ms after the last registration was acknowledged); longest event-loop stall ${round(convergence.eventLoopDelayMaxMs)} ms`,
    );
  }
  const summary: Record<string, unknown> = {
    bench: 'registry',
    connections,
    baselineRps: baseline === undefined ? undefined : round(baseline.perSecond, 0),
    sizes: results,
    convergence,
    ratio: results[0]?.renewalRatio,
  };
  print(JSON.stringify(summary));
  return summary;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  await runRegistryBench(sizes.length > 0 ? { instances: sizes } : {});
}
