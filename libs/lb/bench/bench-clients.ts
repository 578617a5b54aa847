import { Client, Metadata, credentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { parseClusterConfig, clusterTarget, setupZonemeshLb, zonemeshChannelOptions } from '@zonemesh/lb';
import { benchPolicyJson } from './bench-cluster.config.js';
import type { BenchServer } from './bench-servers.process.js';
import { OBSERVE_POLICY, setupObservingBalancer } from './observing.balancer.js';

/** The policies the bench compares: ours, and grpc-js's built-ins as baselines. */
export type BenchPolicy = 'zonemesh' | 'grpc_round_robin' | 'grpc_outlier_detection';

export const POLICY_LABELS: Readonly<Record<BenchPolicy, string>> = {
  zonemesh: 'zonemesh (every feature)',
  grpc_round_robin: 'grpc-js round_robin',
  grpc_outlier_detection: 'grpc-js outlier_detection',
};

export interface BenchClientOptions {
  readonly policy: BenchPolicy;
  readonly servers: readonly BenchServer[];
  /** Cluster name (ours) and observer key. */
  readonly name: string;
  /** The caller's zone (ours only: the baselines know no zones). */
  readonly zone: string | undefined;
  readonly failedInstanceTtl: string;
  readonly healthInterval: string;
  /** Wrap the policy so every attempt's address is reported to `observePicks(name)`. */
  readonly observe: boolean;
}

const identity = (value: Buffer): Buffer => value;
const EMPTY = Buffer.alloc(0);
const WHO = '/zonemesh.bench.Echo/Who';

/** A client of the bench servers; `who()` resolves with the id of the server that answered. */
export interface BenchClient {
  who(deadlineMs: number): Promise<string>;
  close(): void;
}

/** grpc-js outlier_detection around round_robin, tuned like our outlier detection (1s interval, 5s base ejection). */
function grpcOutlierDetectionConfig(): object {
  const duration = (seconds: number) => ({ seconds, nanos: 0 });
  return {
    outlier_detection: {
      interval: duration(1),
      base_ejection_time: duration(5),
      max_ejection_time: duration(60),
      max_ejection_percent: 50,
      success_rate_ejection: { stdev_factor: 1900, enforcement_percentage: 100, minimum_hosts: 2, request_volume: 10 },
      failure_percentage_ejection: { threshold: 50, enforcement_percentage: 100, minimum_hosts: 2, request_volume: 10 },
      child_policy: [{ round_robin: {} }],
    },
  };
}

/**
 * Every policy gets the same target (our `static:///` resolver), the same
 * grpc-js retry policy (methodConfig from our retry_policy) and the same
 * channel options; only `loadBalancingConfig` differs, so the comparison is
 * of the LB policy alone.
 */
export function benchClient(options: BenchClientOptions): BenchClient {
  setupZonemeshLb();
  setupObservingBalancer();
  const cluster = parseClusterConfig(
    {
      name: options.name,
      type: 'static',
      endpoints: options.servers.map((s) => ({ address: s.address, zone: s.zone, id: s.id })),
      ...benchPolicyJson({ failedInstanceTtl: options.failedInstanceTtl, healthInterval: options.healthInterval, withHealthChecks: true, withSubset: false }),
    },
    'bench',
  );
  const ours = JSON.parse(zonemeshChannelOptions({ zone: options.zone, cluster })['grpc.service_config']) as {
    loadBalancingConfig: object[];
    methodConfig?: object[];
  };
  const policyConfig =
    options.policy === 'zonemesh' ? ours.loadBalancingConfig[0]! : options.policy === 'grpc_round_robin' ? { round_robin: {} } : grpcOutlierDetectionConfig();
  const lbConfig = options.observe ? { [OBSERVE_POLICY]: { key: options.name, child_policy: [policyConfig] } } : policyConfig;
  const channelOptions: ChannelOptions = {
    // Each client its own connections: runs must not share subchannels.
    'grpc.use_local_subchannel_pool': 1,
    // Ours gets its call layer as zonemeshChannelOptions gives it (lostTrailersInterceptor); the baselines are plain grpc-js.
    ...(options.policy === 'zonemesh' ? { interceptors: zonemeshChannelOptions({ zone: options.zone, cluster }).interceptors } : {}),
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [lbConfig], ...(ours.methodConfig ? { methodConfig: ours.methodConfig } : {}) }),
  };
  const client = new Client(clusterTarget(cluster), credentials.createInsecure(), channelOptions);
  return {
    who: (deadlineMs) =>
      new Promise<string>((resolve, reject) => {
        client.makeUnaryRequest<Buffer, Buffer>(WHO, identity, identity, EMPTY, new Metadata(), { deadline: Date.now() + deadlineMs }, (error: ServiceError | null, value?: Buffer) =>
          error ? reject(error) : resolve(value!.toString()),
        );
      }),
    close: () => client.close(),
  };
}
