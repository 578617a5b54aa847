import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Pool } from 'undici';

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
  /** Where the table goes (default stdout); the last line printed is the JSON summary. */
  readonly print?: (line: string) => void;
}

interface Spawned {
  readonly origin: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const registryMain = fileURLToPath(new URL('../main.js', import.meta.url));

async function spawnListening(args: string[], what: string): Promise<Spawned> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${stderr}`)), 20_000);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event?: string; port?: number };
      if (event.event === 'listening' && event.port !== undefined) {
        clearTimeout(timer);
        resolve(event.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${stderr}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A Fastify server with one route that does nothing: the ceiling for any Fastify handler on this machine. */
function spawnBareFastify(): Promise<Spawned> {
  const fastifyUrl = pathToFileURL(createRequire(import.meta.url).resolve('fastify')).href;
  const script =
    `const { default: Fastify } = await import(${JSON.stringify(fastifyUrl)});` +
    `const app = Fastify({ logger: false });` +
    `app.put('/eureka/apps/:app/:id', async (request, reply) => reply.code(200).send(''));` +
    `await app.listen({ host: '127.0.0.1', port: 0 });` +
    `process.stdout.write(JSON.stringify({ event: 'listening', port: app.server.address().port }) + '\\n');` +
    `process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;
  return spawnListening(['--input-type=module', '-e', script], 'bare fastify');
}

function rssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

interface LoadResult {
  readonly count: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Sends `count` requests built by `make(i)` over `connections` concurrent workers; latencies per request. */
async function load(
  pool: Pool,
  count: number,
  connections: number,
  make: (i: number) => { method: 'GET' | 'POST' | 'PUT'; path: string; body?: string; expect: number },
): Promise<LoadResult> {
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

async function timedGet(pool: Pool, path: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = process.hrtime.bigint();
  const response = await pool.request({ method: 'GET', path, headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: body.length, status: response.statusCode };
}

function instanceBody(i: number): string {
  const id = `bench-${i}`;
  const app = `APP-${i % 100}`;
  return JSON.stringify({
    instance: {
      instanceId: id,
      hostName: `host-${i}`,
      app,
      ipAddr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      status: 'UP',
      overriddenStatus: 'UNKNOWN',
      port: { $: 8080, '@enabled': 'true' },
      securePort: { $: 443, '@enabled': 'false' },
      countryId: 1,
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
      metadata: { zone: i % 2 === 0 ? 'zone-a' : 'zone-b', version: 'v1' },
      homePageUrl: `http://host-${i}:8080/`,
      statusPageUrl: `http://host-${i}:8080/actuator/info`,
      healthCheckUrl: `http://host-${i}:8080/actuator/health`,
      vipAddress: app.toLowerCase(),
      secureVipAddress: app.toLowerCase(),
      isCoordinatingDiscoveryServer: 'false',
      lastDirtyTimestamp: '1700000000000',
    },
  });
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Measures one registry process over real loopback HTTP (undici Pool, a
 * bounded number of connections): registrations/s, renewals/s and renewal
 * latency, full `/eureka/apps` fetch (JSON, gzip; first and cached), delta
 * fetch, and the process RSS — per registry size. In the same run a bare
 * Fastify route answers the same renewal requests, and the summary reports
 * renewals/s as a ratio of it. Returns the figures; prints a table and, as
 * the last line, `{"bench":"registry",...,"ratio":...}`.
 */
export async function runRegistryBench(options: RegistryBenchOptions = {}): Promise<Record<string, unknown>> {
  const sizes = options.instances ?? [10_000, 50_000];
  const connections = options.connections ?? 32;
  const maxRenewals = options.maxRenewals ?? 50_000;
  const baselineRequests = options.baselineRequests ?? 50_000;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));

  // The bare route runs for the whole bench and is measured right after each
  // renewal run, so both see the same machine load (this box is shared).
  const bare = await spawnBareFastify();
  const barePool = new Pool(bare.origin, { connections });
  const renewalPath = (i: number) => `/eureka/apps/APP-${i % 100}/bench-${i}?status=UP&lastDirtyTimestamp=1700000000000`;
  const measureBaseline = async (): Promise<LoadResult> => {
    await load(barePool, Math.min(2_000, baselineRequests), connections, (i) => ({ method: 'PUT', path: renewalPath(i), expect: 200 }));
    return load(barePool, baselineRequests, connections, (i) => ({ method: 'PUT', path: renewalPath(i), expect: 200 }));
  };
  let baseline: LoadResult | undefined;
  const results: Array<Record<string, number | undefined>> = [];
  try {
  for (const size of sizes) {
    const registry = await spawnListening([registryMain, '--port', '0', '--zone', 'bench', '--profile', 'fast'], 'registry');
    // The CLI logs one line per registration: drain it so the pipe never blocks the registry.
    registry.child.stdout?.resume();
    const pool = new Pool(registry.origin, { connections, pipelining: 1 });
    try {
      const registrations = await load(pool, size, connections, (i) => ({ method: 'POST', path: `/eureka/apps/APP-${i % 100}`, body: instanceBody(i), expect: 204 }));
      const renewalCount = Math.min(Math.max(size, 50_000), maxRenewals);
      // Warm-up (JIT, connections), as for the baseline; then the measured round.
      await load(pool, Math.min(5_000, renewalCount), connections, (i) => ({ method: 'PUT', path: renewalPath(i % size), expect: 200 }));
      const renewals = await load(pool, renewalCount, connections, (i) => ({ method: 'PUT', path: renewalPath(i % size), expect: 200 }));
      baseline = await measureBaseline();
      const fullCold = await timedGet(pool, '/eureka/apps', { accept: 'application/json' });
      const fullWarm = await timedGet(pool, '/eureka/apps', { accept: 'application/json' });
      const fullGzip = await timedGet(pool, '/eureka/apps', { accept: 'application/json', 'accept-encoding': 'gzip' });
      const delta = await timedGet(pool, '/eureka/apps/delta', { accept: 'application/json', 'accept-encoding': 'gzip' });
      results.push({
        instances: size,
        registrationsPerSec: round(registrations.perSecond, 0),
        registrationErrors: registrations.errors,
        renewals: renewalCount,
        renewalsPerSec: round(renewals.perSecond, 0),
        renewalErrors: renewals.errors,
        renewalP50Ms: round(renewals.p50Ms, 2),
        renewalP99Ms: round(renewals.p99Ms, 2),
        fullFetchMs: round(fullCold.ms),
        fullFetchCachedMs: round(fullWarm.ms),
        fullFetchBytes: fullCold.bytes,
        fullFetchGzipMs: round(fullGzip.ms),
        fullFetchGzipBytes: fullGzip.bytes,
        deltaFetchMs: round(delta.ms),
        deltaGzipBytes: delta.bytes,
        rssBytes: rssBytes(registry.child.pid),
        baselineRps: round(baseline.perSecond, 0),
        renewalRatio: round(renewals.perSecond / baseline.perSecond, 3),
      });
    } finally {
      await pool.close();
      await registry.stop();
    }
  }
  } finally {
    await barePool.close();
    await bare.stop();
  }

  const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${round(bytes / 1_048_576)} MB`);
  print(`bare Fastify route (same PUT path and query, ${baselineRequests} requests, ${connections} connections), measured after each renewal run`);
  print('instances | reg/s | renew/s | renew p99 | bare req/s | ratio | full fetch (cached) | full size | gzip size | delta | RSS');
  for (const r of results) {
    print(
      `${r.instances} | ${r.registrationsPerSec} | ${r.renewalsPerSec} | ${r.renewalP99Ms} ms | ${r.baselineRps} | ${r.renewalRatio} | ` +
        `${r.fullFetchMs} ms (${r.fullFetchCachedMs} ms) | ${mb(r.fullFetchBytes)} | ${mb(r.fullFetchGzipBytes)} | ${r.deltaFetchMs} ms | ${mb(r.rssBytes)}`,
    );
  }
  const summary: Record<string, unknown> = {
    bench: 'registry',
    connections,
    baselineRps: baseline === undefined ? undefined : round(baseline.perSecond, 0),
    sizes: results,
    ratio: results[0]?.renewalRatio,
  };
  print(JSON.stringify(summary));
  return summary;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  await runRegistryBench(sizes.length > 0 ? { instances: sizes } : {});
}
