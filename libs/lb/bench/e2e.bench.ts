import { Registry } from 'prom-client';
import { registerLbMetrics } from '@zonemesh/lb';
import { benchClient, type BenchClient } from './bench-clients.js';
import type { BenchServer } from './bench-servers.process.js';
import { median, renderTable, round } from './bench-table.js';
import { closedLoop, type ClosedLoopResult } from './load.js';

export interface E2eBenchOptions {
  readonly rounds: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly concurrency: number;
  /** Also measure ours without a caller zone (balancing over all 4 servers, like round_robin). */
  readonly withNoZone: boolean;
}

export interface E2eBenchResult {
  readonly grpcRoundRobin: number;
  readonly zonemesh: number;
  readonly zonemeshNoZone: number | undefined;
  readonly ratio: number;
  /** Median of per-round ratios (each round's runs are seconds apart, so slow machine phases cancel out). */
  readonly pairedRatio: number;
  readonly errors: number;
}

/**
 * Unary calls/s, closed loop, through grpc-js round_robin and through ours
 * (caller in zone-a: health checks, outlier detection, zone failover, retry
 * bookkeeping and metrics hooks on), over the same servers in a child
 * process. Rounds alternate the clients so machine noise hits all of them.
 */
export async function runE2eBench(servers: readonly BenchServer[], options: E2eBenchOptions, log: (line: string) => void): Promise<E2eBenchResult> {
  const stopMetrics = registerLbMetrics(new Registry()).stop;
  const common = { servers, failedInstanceTtl: '5s', healthInterval: '1s', observe: false } as const;
  const clients: Array<[string, BenchClient]> = [
    ['grpc-js round_robin (4 servers)', benchClient({ ...common, policy: 'grpc_round_robin', name: 'bench-e2e-rr', zone: undefined })],
    ['zonemesh, caller in zone-a', benchClient({ ...common, policy: 'zonemesh', name: 'bench-e2e-zonemesh', zone: 'zone-a' })],
  ];
  if (options.withNoZone) clients.push(['zonemesh, no caller zone', benchClient({ ...common, policy: 'zonemesh', name: 'bench-e2e-zonemesh-nozone', zone: undefined })]);
  const results = clients.map((): ClosedLoopResult[] => []);
  try {
    for (const [, client] of clients) {
      await client.who(10_000);
      await closedLoop(client, options.concurrency, options.warmupMs);
    }
    for (let round = 0; round < options.rounds; round += 1) {
      // Alternate the order too: whoever runs first in a round gets no systematic edge.
      const order = clients.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) results[i]!.push(await closedLoop(clients[i]![1], options.concurrency, options.durationMs));
      log(`  round ${round + 1}: ${clients.map(([name], i) => `${name} ${results[i]!.at(-1)!.callsPerSecond.toFixed(0)}/s`).join(', ')}`);
    }
  } finally {
    clients.forEach(([, c]) => c.close());
    stopMetrics();
  }
  const medians = results.map((r) => median(r.map((x) => x.callsPerSecond)));
  const paired = (i: number) => median(results[i]!.map((r, k) => r.callsPerSecond / results[0]![k]!.callsPerSecond));
  log('');
  log(
    renderTable(
      ['CLIENT', 'CALLS/S (MEDIAN)', 'VS ROUND_ROBIN', 'MEDIAN OF ROUND RATIOS', 'ERRORS', 'CALLS/S PER ROUND'],
      clients.map(([name], i) => [
        name,
        medians[i]!.toFixed(0),
        `${(medians[i]! / medians[0]!).toFixed(3)}x`,
        `${paired(i).toFixed(3)}x`,
        String(results[i]!.reduce((n, r) => n + r.errors, 0)),
        results[i]!.map((r) => r.callsPerSecond.toFixed(0)).join(' / '),
      ]),
    ),
  );
  return {
    grpcRoundRobin: round(medians[0]!, 0),
    zonemesh: round(medians[1]!, 0),
    zonemeshNoZone: options.withNoZone ? round(medians[2]!, 0) : undefined,
    ratio: round(medians[1]! / medians[0]!, 3),
    pairedRatio: round(median(results[1]!.map((r, i) => r.callsPerSecond / results[0]![i]!.callsPerSecond)), 3),
    errors: results.flat().reduce((n, r) => n + r.errors, 0),
  };
}
