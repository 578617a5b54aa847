// The only file that touches @zonemesh/lb and @zonemesh/discovery: how a mesh
// process plugs itself into resolution, balancing and registration.
import type { ChannelOptions } from '@grpc/grpc-js';
import { EurekaRegistration, registerEurekaScheme, type RegistrationEvent } from '@zonemesh/discovery';
import { HEALTH_CHECK_PORT_METADATA, LIVE_CONFIG_KEY, clusterTarget, publishServiceConfig, setupZonemeshLb, zonemeshChannelOptions, type ClusterConfig } from '@zonemesh/lb';
import { HEALTH_PORT_PATH } from './health-port.server.js';
import { tracingClientInterceptor } from '@zonemesh/telemetry';
import { loadClusterSettings } from './cluster-settings.js';
import type { ServiceEnv } from './service-env.js';

/** A registration of this instance in the registry of its zone (or a fallback zone's). */
export interface InstanceRegistration {
  /** Resolves true once registered; false means heartbeats keep retrying in the background. */
  start(): Promise<boolean>;
  stop(): Promise<void>;
}

let resolutionZone: string | undefined;

/**
 * Installs the zonemesh LB policy and, with registries configured, the
 * `eureka:` scheme in grpc-js, once per process: every channel of the
 * process then shares one registry poll per app.
 */
export function ensureMeshResolution(env: ServiceEnv): void {
  if (resolutionZone !== undefined) return;
  resolutionZone = env.zone;
  setupZonemeshLb();
  if (env.registries.length > 0) {
    registerEurekaScheme({ registries: env.registries, zone: env.zone, fetchIntervalMs: env.fetchIntervalMs });
  }
}

/**
 * Channel options selecting the zonemesh policy, preferring this instance's
 * zone, with the cluster's settings from ZONEMESH_CLUSTERS_FILE when it has
 * any (health checks, outlier detection, zone failover, retries, subsets).
 * Both modes carry the tracing interceptor: a CLIENT span per call made
 * inside a trace (grpc-js takes `interceptors` out of the options before
 * building the channel; NestJS passes channelOptions to the client as is).
 */
export function meshChannelOptions(env: ServiceEnv, cluster: string): ChannelOptions {
  const interceptors = [tracingClientInterceptor];
  // The baseline scenarios compare against: same discovery, grpc-js's own round_robin.
  if (env.lbMode === 'grpc-rr') {
    return { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }), interceptors };
  }
  const settings = loadClusterSettings(env.clustersFile).get(cluster);
  const options = zonemeshChannelOptions({ zone: env.zone, cluster: settings ?? cluster });
  liveChannels.set(cluster, { zone: env.zone, target: targetOf(env, cluster, settings) });
  // The channel follows reloads of its cluster (applyClusterReload).
  return { ...options, [LIVE_CONFIG_KEY]: cluster, interceptors: [...interceptors, ...options.interceptors] };
}

/** The zonemesh channels of this process by cluster: what a reload updates. */
const liveChannels = new Map<string, { zone: string; target: string | undefined }>();

function targetOf(env: ServiceEnv, cluster: string, config: ClusterConfig | undefined): string | undefined {
  if (config?.type === 'static') return clusterTarget(config);
  return env.registries.length > 0 ? `eureka:///${config?.app ?? cluster.toUpperCase()}` : undefined;
}

/** What a reload did: clusters whose channels took the new settings, and those whose target changed (a restart applies it). */
export interface ClusterReload {
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
}

/**
 * Pushes the reloaded clusters' settings to this process's running channels
 * (grpc-js service-config update through the resolver: same balancer, same
 * connections, no call dropped). A changed target (endpoints, type, app)
 * is not applied: the channel was built for its target.
 */
export function applyClusterReload(env: ServiceEnv, clusters: ReadonlyMap<string, ClusterConfig>): ClusterReload {
  const applied: string[] = [];
  const needsRestart: string[] = [];
  for (const [name, channel] of liveChannels) {
    const settings = clusters.get(name);
    if (targetOf(env, name, settings) !== channel.target) needsRestart.push(name);
    publishServiceConfig(name, zonemeshChannelOptions({ zone: channel.zone, cluster: settings ?? name })['grpc.service_config']);
    applied.push(name);
  }
  return { applied, needsRestart };
}

/** The channel target of `cluster` (see downstreamTarget). */
export function meshTarget(env: ServiceEnv, cluster: string): string {
  const config = loadClusterSettings(env.clustersFile).get(cluster);
  if (config?.type === 'static') return clusterTarget(config);
  if (env.registries.length > 0) return `eureka:///${config?.app ?? cluster.toUpperCase()}`;
  if (config) throw new Error(`${env.clustersFile}: cluster "${cluster}" is type eureka (app ${config.app}): ZONEMESH_REGISTRY_URLS is required to find it`);
  throw new Error(`ZONEMESH_CLUSTERS_FILE: no cluster "${cluster}" in ${env.clustersFile ?? '(unset)'} and no ZONEMESH_REGISTRY_URLS: nothing says where ${cluster} runs`);
}

/**
 * The Eureka registration of this instance (app = service name upper-cased,
 * advertised address, metadata zone/version/instanceId), or undefined when
 * no registry is configured. With a separate health port, metadata
 * `health_check_port` carries its advertised port: callers' health checks
 * read it as the endpoint's `health_check_config.port_value` (Envoy), on the
 * advertised host. Eureka's own `healthCheckUrl` says the same for Eureka
 * tooling; the load balancer reads only the metadata key.
 */
export function createRegistration(env: ServiceEnv, log: (line: string) => void, healthPort?: number): InstanceRegistration | undefined {
  if (env.registries.length === 0) return undefined;
  const health: Record<string, string> = healthPort === undefined ? {} : { [HEALTH_CHECK_PORT_METADATA]: String(healthPort) };
  let last: RegistrationEvent['kind'] | undefined;
  return new EurekaRegistration({
    registries: env.registries,
    zone: env.zone,
    app: env.service.toUpperCase(),
    instanceId: env.instanceId,
    host: env.advertiseHost,
    port: env.advertisePort,
    metadata: { zone: env.zone, version: env.version, instanceId: env.instanceId, ...health },
    ...(healthPort === undefined ? {} : { healthCheckUrl: `http://${env.advertiseHost}:${healthPort}${HEALTH_PORT_PATH}` }),
    renewalIntervalMs: env.renewIntervalMs,
    leaseDurationSecs: Math.ceil(env.leaseDurationMs / 1000),
    sessionDurationMs: env.registrySessionMs,
    // One line per change of state, not per failed heartbeat.
    onEvent: (event) => {
      if (event.kind === last) return;
      last = event.kind;
      if (event.kind === 'register-failed') log(`${env.instanceId}: registration failed, retrying: ${event.errors.join('; ')}`);
      if (event.kind === 'heartbeat-lost') log(`${env.instanceId}: lost lease at ${event.registry.url}: ${event.reason}`);
    },
  });
}
