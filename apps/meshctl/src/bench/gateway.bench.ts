import { fileURLToPath } from 'node:url';
import { freePort, spawnService, type ServiceProcess, spawnMeshService, staticClustersEnv } from '@zonemesh/testing';
import { renderTable } from '../cli/table.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { closedLoopLoad, median, type LoadResult } from './closed-loop.load.js';

export interface GatewayBenchOptions {
  readonly rounds: number;
  readonly durationMs: number;
  readonly connections: number;
  readonly warmupMs: number;
}

export const GATEWAY_BENCH_DEFAULTS: GatewayBenchOptions = { rounds: 3, durationMs: 5000, connections: 16, warmupMs: 1500 };

const startService = (service: string, id: string, env: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnMeshService(WORKSPACE_ROOT, service, id, env);

/**
 * Requests/s and p99 through the gateway against, in the same run and over
 * the same catalog/pricing/inventory processes, a bare Fastify route making
 * the same gRPC call with plain grpc-js. Rounds alternate the two so machine
 * noise hits both; the ratio is of medians.
 */
export async function runGatewayBench(options: GatewayBenchOptions = GATEWAY_BENCH_DEFAULTS): Promise<Record<string, number | string>> {
  const processes: ServiceProcess[] = [];
  try {
    const [pricing, inventory] = await Promise.all([startService('pricing', 'pricing-v1-zone-a-1'), startService('inventory', 'inventory-zone-a-1')]);
    processes.push(pricing!, inventory!);
    const catalog = await startService('catalog', 'catalog-zone-a-1', staticClustersEnv({ pricing: [pricing!.ready.address], inventory: [inventory!.ready.address] }));
    processes.push(catalog);
    const gateway = await spawnService({
      entry: 'apps/gateway/dist/main.js',
      cwd: WORKSPACE_ROOT,
      env: {
        ZONEMESH_ZONE: 'zone-a',
        ZONEMESH_PORT: String(await freePort()),
        ZONEMESH_INSTANCE_ID: 'gateway-zone-a-1',
        ...staticClustersEnv({ catalog: [catalog.ready.address] }),
      },
    });
    processes.push(gateway);
    const bare = await spawnService({
      entry: fileURLToPath(new URL('./bare-gateway.js', import.meta.url)),
      cwd: WORKSPACE_ROOT,
      env: { BENCH_PORT: String(await freePort()), BENCH_CATALOG: catalog.ready.address },
    });
    processes.push(bare);

    const paths = Array.from({ length: 100 }, (_, i) => `/api/products/${i + 1}`);
    const load = (origin: string, durationMs: number) => closedLoopLoad({ origin, paths, connections: options.connections, durationMs });
    await load(gateway.ready.address, options.warmupMs);
    await load(bare.ready.address, options.warmupMs);

    const ours: LoadResult[] = [];
    const baseline: LoadResult[] = [];
    for (let round = 0; round < options.rounds; round++) {
      baseline.push(await load(bare.ready.address, options.durationMs));
      ours.push(await load(gateway.ready.address, options.durationMs));
    }
    const row = (name: string, results: LoadResult[]) => [
      name,
      median(results.map((r) => r.rps)).toFixed(0),
      median(results.map((r) => r.p50Ms)).toFixed(2),
      median(results.map((r) => r.p99Ms)).toFixed(2),
      String(results.reduce((n, r) => n + r.errors, 0)),
      results.map((r) => r.rps.toFixed(0)).join(' / '),
    ];
    console.log(renderTable(['SERVER', 'RPS (median)', 'P50 MS', 'P99 MS', 'ERRORS', 'RPS PER ROUND'], [row('gateway (NestJS + zonemesh lb)', ours), row('bare Fastify + grpc-js', baseline)]));
    const rps = median(ours.map((r) => r.rps));
    const baselineRps = median(baseline.map((r) => r.rps));
    return {
      bench: 'gateway',
      rps: Math.round(rps),
      p99_ms: Number(median(ours.map((r) => r.p99Ms)).toFixed(2)),
      errors: ours.reduce((n, r) => n + r.errors, 0),
      baseline_rps: Math.round(baselineRps),
      baseline_p99_ms: Number(median(baseline.map((r) => r.p99Ms)).toFixed(2)),
      connections: options.connections,
      rounds: options.rounds,
      round_seconds: options.durationMs / 1000,
      ratio: Number((rps / baselineRps).toFixed(3)),
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop('SIGTERM', 5000)));
  }
}
