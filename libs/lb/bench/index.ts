import { BenchServers } from './bench-servers.process.js';
import { parseLbBenchArgs, durationMs } from './bench-options.js';
import { runE2eBench, type E2eBenchResult } from './e2e.bench.js';
import { loadKey, loadLabel, runFailoverBench, type FailoverSummary } from './failover.bench.js';
import { runPickBench, type PickBenchRow } from './pick.bench.js';

export { LB_BENCH_USAGE, parseLbBenchArgs, type LbBenchOptions } from './bench-options.js';

/** Four servers, two per zone: the caller sits in zone-a. */
const SERVERS = [
  { id: 'a1', zone: 'zone-a' },
  { id: 'a2', zone: 'zone-a' },
  { id: 'b1', zone: 'zone-b' },
  { id: 'b2', zone: 'zone-b' },
];

/**
 * `zonemesh bench lb`: pick cost, end-to-end calls/s and failover/failback
 * of the zonemesh policy against grpc-js's built-in policies, every baseline
 * measured in the same run, loopback only. Prints tables as it goes and
 * returns the figures (the CLI prints them as the last line, JSON).
 */
export async function runLbBench(argv: string[]): Promise<Record<string, unknown>> {
  const options = parseLbBenchArgs(argv);
  const log = (line: string) => console.log(line);
  const started = performance.now();
  log(`zonemesh bench lb (${options.mode}): ${options.parts.join(', ')} — medians of ${options.pick.rounds} pick / ${options.e2e.rounds} e2e rounds`);

  let pick: PickBenchRow[] = [];
  if (options.parts.includes('pick')) {
    log('\n== pick cost: picker.pick() driven directly over READY fake subchannels, 3 zones ==');
    pick = runPickBench(options.pick, log);
  }

  let e2e: E2eBenchResult | undefined;
  let failover: FailoverSummary[] = [];
  if (options.parts.includes('e2e') || options.parts.includes('failover')) {
    const servers = await BenchServers.start(SERVERS);
    try {
      if (options.parts.includes('e2e')) {
        log(`\n== end-to-end unary calls/s, closed loop, ${options.e2e.concurrency} concurrent calls, 4 servers in a child process ==`);
        e2e = await runE2eBench(servers.servers, options.e2e, log);
      }
      if (options.parts.includes('failover')) {
        const f = options.failover;
        log(
          `\n== failover: ${f.loads.map(loadLabel).join(", then ")} from zone-a; zone-a refuses connections for ${f.downMs / 1000} s; ${f.rounds} round(s); ` +
            `failed_instance_ttl ${f.failedInstanceTtl}, gRPC health checks every ${f.healthInterval} ==`,
        );
        failover = await runFailoverBench(servers, f, log);
      }
    } finally {
      await servers.close();
    }
  }

  const at300 = pick.find((r) => r.endpoints === 300);
  // The open loop keeps the figures' historical keys; every load is under failover_by_load.
  const firstLoad = options.failover.loads[0];
  const onFirst = failover.filter((r) => r.load === firstLoad);
  const ours = onFirst.find((r) => r.policy === 'zonemesh');
  const rr = onFirst.find((r) => r.policy === 'grpc_round_robin');
  const od = onFirst.find((r) => r.policy === 'grpc_outlier_detection');
  const oursAll = failover.filter((r) => r.policy === 'zonemesh');
  const oursErrorsAllLoads = oursAll.length === 0 ? undefined : oursAll.reduce((n, r) => n + r.errorsTotal, 0);
  const failbackTarget = (durationMs(options.failover.failedInstanceTtl) + durationMs(options.failover.healthInterval)) / 1000;
  const result: Record<string, unknown> = {
    bench: 'lb',
    mode: options.mode,
    pick_ns_300: at300?.oursNs,
    pick_grpc_rr_ns_300: at300?.grpcRrNs,
    pick_ratio_vs_grpc_rr: at300?.ratio,
    pick_plain_ns_300: at300?.oursPlainNs,
    pick_with_call_hooks_ns_300: at300?.oursCallNs,
    pick: Object.fromEntries(pick.map((r) => [String(r.endpoints), { ours_ns: r.oursNs, grpc_rr_ns: r.grpcRrNs, ratio: r.ratio, ours_plain_ns: r.oursPlainNs, ours_with_call_ns: r.oursCallNs }])),
    e2e_calls_per_s: e2e?.zonemesh,
    e2e_grpc_rr_calls_per_s: e2e?.grpcRoundRobin,
    e2e_nozone_calls_per_s: e2e?.zonemeshNoZone,
    e2e_ratio_vs_grpc_rr: e2e?.ratio,
    e2e_ratio_paired: e2e?.pairedRatio,
    e2e_errors: e2e?.errors,
    // Summed over every round (a median hid a bad round); the worst round beside it.
    failover_errors: ours?.errorsTotal,
    failover_errors_worst_round: ours?.errorsWorstRound,
    failover_errors_all_loads: oursErrorsAllLoads,
    failover_s: ours?.failoverS,
    failback_s: ours?.failbackS,
    failback_target_s: failbackTarget,
    reconnect_s: ours?.reconnectS,
    grpc_rr_failover_errors: rr?.errorsTotal,
    grpc_rr_failover_s: rr?.failoverS,
    grpc_rr_failback_s: rr?.failbackS,
    grpc_od_failover_errors: od?.errorsTotal,
    grpc_od_failover_s: od?.failoverS,
    grpc_od_failback_s: od?.failbackS,
    failover: Object.fromEntries(onFirst.map((r) => [r.policy, failoverJson(r)])),
    failover_by_load: Object.fromEntries(
      options.failover.loads.map((load) => [loadKey(load), Object.fromEntries(failover.filter((r) => r.load === load).map((r) => [r.policy, failoverJson(r)]))]),
    ),
    seconds: Math.round((performance.now() - started) / 100) / 10,
    ratio: e2e?.ratio,
  };
  log('');
  log(
    `targets: pick ratio <= 1.5x: ${verdict(at300 && at300.ratio <= 1.5)}; pick < 1000 ns at 300: ${verdict(at300 && at300.oursNs < 1000)}; ` +
      `e2e >= 0.95x (median of per-round ratios): ${verdict(e2e && e2e.pairedRatio >= 0.95)}; ` +
      `failover errors 0, summed over every round of every load: ${verdict(oursErrorsAllLoads === undefined ? undefined : oursErrorsAllLoads === 0)}; ` +
      `failover < 1 s: ${verdict(ours && ours.failoverS < 1)}; failback <= ${failbackTarget} s: ${verdict(ours && ours.failbackS !== null && ours.failbackS <= failbackTarget)}`,
  );
  return result;
}

function failoverJson(r: FailoverSummary): Record<string, unknown> {
  return {
    ...r,
    policy: undefined,
    load: undefined,
    sampleErrors: undefined,
    rounds: undefined,
    errors_total: r.errorsTotal,
    errors_worst_round: r.errorsWorstRound,
    errors_per_round: r.rounds.map((x) => x.errors),
    failback_s_per_round: r.rounds.map((x) => x.failbackS),
  };
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED';
}
