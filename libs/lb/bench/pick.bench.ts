import { Metadata, connectivityState, experimental } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { type ResolvedEndpoint, type EndpointHealthView, registerEndpointHealthView, addLbLifecycle, registerLbMetrics, ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE, ZonemeshLoadBalancingConfig, ZonemeshLoadBalancer } from '@zonemesh/lb';
import { benchPolicyJson, ZONES } from './bench-cluster.config.js';
import { median, renderTable, round } from './bench-table.js';
import { FakeChannelHelper } from './fake-channel.helper.js';

export interface PickBenchOptions {
  readonly sizes: readonly number[];
  /** Picks per timed round. */
  readonly picks: number;
  /** Picks per round when each pick also runs the call hooks (onCallStarted/onCallEnded). */
  readonly callPicks: number;
  readonly rounds: number;
}

export interface PickBenchRow {
  readonly endpoints: number;
  readonly grpcRrNs: number;
  readonly oursNs: number;
  readonly oursPlainNs: number;
  readonly grpcRrCallNs: number;
  readonly oursCallNs: number;
  readonly ratio: number;
  /** Share of our picks that landed in the caller's zone (proves the zone feature was on the path). */
  readonly localShare: number;
}

const { PickResultType } = experimental;

/** An all-healthy external health view: the picker runs with a health view attached. */
const ALL_HEALTHY: EndpointHealthView = { isHealthy: () => true, onChange: () => () => undefined };

function endpointsOf(count: number): { endpoints: experimental.Endpoint[]; infos: ResolvedEndpoint[] } {
  const endpoints: experimental.Endpoint[] = [];
  const infos: ResolvedEndpoint[] = [];
  for (let i = 0; i < count; i += 1) {
    // Fake addresses: nothing ever connects to them.
    const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const port = 5000;
    endpoints.push({ addresses: [{ host, port }] });
    infos.push({ id: `e${i}`, host, port, zone: ZONES[i % ZONES.length], metadata: { version: 'v1' } });
  }
  return { endpoints, infos };
}

interface PolicyUnderBench {
  readonly picker: experimental.Picker;
  /** Which subchannel addresses are in the caller's zone. */
  readonly local: ReadonlySet<string>;
  destroy(): void;
}

function grpcRoundRobin(count: number): PolicyUnderBench {
  const helper = new FakeChannelHelper(connectivityState.READY);
  const handler = new experimental.ChildLoadBalancerHandler(helper);
  const config = experimental.parseLoadBalancingConfig({ round_robin: {} });
  handler.updateAddressList(experimental.statusOrFromValue(endpointsOf(count).endpoints), config, {}, '');
  if (helper.state !== connectivityState.READY || !helper.picker) throw new Error(`grpc-js round_robin did not become READY with ${count} fake endpoints`);
  return { picker: helper.picker, local: new Set(), destroy: () => handler.destroy() };
}

function zonemesh(count: number, full: boolean): { policy: PolicyUnderBench; removeHealth: () => void } {
  const cluster = `bench-pick-${count}-${full ? 'full' : 'plain'}`;
  const removeHealth = full ? registerEndpointHealthView(cluster, ALL_HEALTHY) : () => undefined;
  const helper = new FakeChannelHelper(connectivityState.READY);
  const balancer = new ZonemeshLoadBalancer(helper);
  const json = full
    ? {
        ...benchPolicyJson({ failedInstanceTtl: '5s', healthInterval: '1s', withHealthChecks: false, withSubset: true }),
        // Checked at every pick; limits out of reach, because the plain loop below picks without ever starting a call.
        circuit_breakers: { thresholds: [{ max_requests: 4_294_967_295, max_pending_requests: 4_294_967_295, max_retries: 4_294_967_295 }] },
        slow_start_config: { slow_start_window: '30s' },
      }
    : { outlier_detection: { enabled: false } };
  const config = ZonemeshLoadBalancingConfig.createFromJson({ zone: 'zone-a', cluster, ...json });
  const { endpoints, infos } = endpointsOf(count);
  balancer.updateAddressList(experimental.statusOrFromValue(endpoints), config, { [ENDPOINTS_ATTRIBUTE]: infos, [TARGET_ATTRIBUTE]: `static:///bench-${count}` }, '');
  if (helper.state !== connectivityState.READY || !helper.picker) throw new Error(`zonemesh did not become READY with ${count} fake endpoints`);
  const local = new Set(infos.filter((i) => i.zone === 'zone-a').map((i) => `${i.host}:${i.port}`));
  return {
    policy: {
      picker: helper.picker,
      local,
      destroy: () => {
        balancer.destroy();
        removeHealth();
      },
    },
    removeHealth,
  };
}

/** One Metadata per call, as grpc-js makes them, cycled so per-call state (retry bookkeeping) sees distinct calls. */
function pickArgsPool(size: number): experimental.PickArgs[] {
  return Array.from({ length: size }, () => {
    const metadata = new Metadata();
    metadata.set('x-api-version', 'v1');
    return { metadata, extraPickInfo: {} };
  });
}

/** ns per pick over `count` picks; `withCall` also runs the result's call hooks, as grpc-js does for a started and finished call. */
function timePicks(picker: experimental.Picker, pool: readonly experimental.PickArgs[], count: number, withCall: boolean, local: ReadonlySet<string>, tally: { local: number; total: number }): number {
  const mask = pool.length - 1;
  let complete = 0;
  const start = process.hrtime.bigint();
  if (withCall) {
    for (let i = 0; i < count; i += 1) {
      const result = picker.pick(pool[i & mask]!);
      if (result.pickResultType === PickResultType.COMPLETE) complete += 1;
      result.onCallStarted?.();
      result.onCallEnded?.(0, 'OK', null as unknown as Metadata);
    }
  } else {
    for (let i = 0; i < count; i += 1) {
      if (picker.pick(pool[i & mask]!).pickResultType === PickResultType.COMPLETE) complete += 1;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  if (complete !== count) throw new Error(`only ${complete} of ${count} picks completed`);
  // Where did picks land? Sampled outside the timed loop.
  for (let i = 0; i < 300; i += 1) {
    const address = picker.pick(pool[i & mask]!).subchannel?.getAddress();
    tally.total += 1;
    if (address !== undefined && local.has(address)) tally.local += 1;
  }
  return elapsed / count;
}

/**
 * Pick cost: grpc-js's round_robin picker against ours over the same number
 * of READY fake subchannels, driven directly (no channel, no network).
 * "ours" has every feature on: subsets (a header read per pick), a health
 * view, outlier detection, zone failover over 3 zones, retry bookkeeping
 * (grpc-js retry policy in force), circuit breakers, slow start (configured;
 * no endpoint is ramping) and the prom-client metrics hooks.
 * "plain" is ours with zone preference only. Rounds alternate the policies.
 */
export function runPickBench(options: PickBenchOptions, log: (line: string) => void): PickBenchRow[] {
  const rows: PickBenchRow[] = [];
  const pool = pickArgsPool(1024);
  for (const size of options.sizes) {
    const rr = grpcRoundRobin(size);
    const plain = zonemesh(size, false).policy;
    const full = zonemesh(size, true).policy;
    const times = { rr: [] as number[], ours: [] as number[], plain: [] as number[], rrCall: [] as number[], oursCall: [] as number[] };
    const tally = { local: 0, total: 0 };
    const ignore = { local: 0, total: 0 };
    const metrics = () => {
      const stopMetrics = registerLbMetrics(new Registry()).stop;
      // A second, user-level hook, as an application adds one.
      const stopHook = addLbLifecycle({ onStartRequest: () => undefined, onComplete: () => undefined });
      return () => {
        stopMetrics();
        stopHook();
      };
    };
    // Warm-up round (not counted): lets the JIT settle on every path.
    const warm = Math.min(options.picks, 200_000);
    timePicks(rr.picker, pool, warm, false, rr.local, ignore);
    timePicks(plain.picker, pool, warm, false, plain.local, ignore);
    let stop = metrics();
    timePicks(full.picker, pool, warm, false, full.local, ignore);
    timePicks(full.picker, pool, Math.min(options.callPicks, 50_000), true, full.local, ignore);
    stop();
    for (let round = 0; round < options.rounds; round += 1) {
      times.rr.push(timePicks(rr.picker, pool, options.picks, false, rr.local, ignore));
      times.plain.push(timePicks(plain.picker, pool, options.picks, false, plain.local, ignore));
      stop = metrics();
      times.ours.push(timePicks(full.picker, pool, options.picks, false, full.local, tally));
      times.oursCall.push(timePicks(full.picker, pool, options.callPicks, true, full.local, ignore));
      stop();
      times.rrCall.push(timePicks(rr.picker, pool, options.callPicks, true, rr.local, ignore));
    }
    rr.destroy();
    plain.destroy();
    full.destroy();
    const row: PickBenchRow = {
      endpoints: size,
      grpcRrNs: median(times.rr),
      oursNs: median(times.ours),
      oursPlainNs: median(times.plain),
      grpcRrCallNs: median(times.rrCall),
      oursCallNs: median(times.oursCall),
      ratio: median(times.ours) / median(times.rr),
      localShare: tally.total === 0 ? 0 : tally.local / tally.total,
    };
    rows.push(row);
    log(
      `  ${size} endpoints: grpc rr ${row.grpcRrNs.toFixed(1)} ns, ours ${row.oursNs.toFixed(1)} ns (rounds ${times.ours.map((t) => t.toFixed(0)).join('/')}), ratio ${row.ratio.toFixed(2)}x`,
    );
  }
  log('');
  log(
    renderTable(
      ['ENDPOINTS', 'GRPC RR NS/PICK', 'OURS NS/PICK', 'RATIO', 'OURS PLAIN NS', 'GRPC RR +CALL NS', 'OURS +CALL NS', 'LOCAL SHARE'],
      rows.map((r) => [
        String(r.endpoints),
        r.grpcRrNs.toFixed(1),
        r.oursNs.toFixed(1),
        `${r.ratio.toFixed(2)}x`,
        r.oursPlainNs.toFixed(1),
        r.grpcRrCallNs.toFixed(1),
        r.oursCallNs.toFixed(1),
        `${(r.localShare * 100).toFixed(0)}%`,
      ]),
    ),
  );
  return rows.map((r) => ({ ...r, grpcRrNs: round(r.grpcRrNs, 1), oursNs: round(r.oursNs, 1), oursPlainNs: round(r.oursPlainNs, 1), grpcRrCallNs: round(r.grpcRrCallNs, 1), oursCallNs: round(r.oursCallNs, 1), ratio: round(r.ratio, 2), localShare: round(r.localShare, 3) }));
}
