import { SERVICE_CONTRACTS, type MeshServiceName } from '@zonemesh/contracts';
import { parseRegistryUrls, type RegistryEndpoint } from '@zonemesh/discovery';
import { readPositiveDuration } from '@zonemesh/config';

/** What a mesh process can run: a gRPC service of the mesh, or the REST gateway. */
export type ServiceName = MeshServiceName | 'gateway';

/** Everything a mesh service process is configured with, validated once at start-up. */
export interface ServiceEnv {
  /** ZONEMESH_SERVICE: which service this process runs. */
  readonly service: ServiceName;
  /** ZONEMESH_INSTANCE_ID, default `<service>-<zone>-1`; also the Eureka instanceId and `served_by`. */
  readonly instanceId: string;
  /** ZONEMESH_ZONE: the availability zone this instance runs in. */
  readonly zone: string;
  /** ZONEMESH_HOST / ZONEMESH_PORT: where the gRPC server binds. */
  readonly host: string;
  readonly port: number;
  /** ZONEMESH_ADVERTISE_HOST / _PORT: what gets registered (the fault proxy's address); default = bind. */
  readonly advertiseHost: string;
  readonly advertisePort: number;
  /** ZONEMESH_VERSION, default `v1`; registered as metadata, used for versioned routing. */
  readonly version: string;
  /** ZONEMESH_REGISTRY_URLS parsed, in the given order. Empty = no registration, only `static` clusters. */
  readonly registries: readonly RegistryEndpoint[];
  /** The raw ZONEMESH_REGISTRY_URLS value ('' when unset). */
  readonly registryUrls: string;
  /** ZONEMESH_RENEW_INTERVAL (default 30s), ZONEMESH_LEASE_DURATION (90s), ZONEMESH_FETCH_INTERVAL (30s). */
  readonly renewIntervalMs: number;
  readonly leaseDurationMs: number;
  readonly fetchIntervalMs: number;
  /** ZONEMESH_METRICS_PORT: plain-HTTP port serving GET /metrics (on `host`); undefined = no metrics server. */
  readonly metricsPort?: number;
  /**
   * ZONEMESH_HEALTH_PORT: a plain-HTTP listener (on `host`) answering
   * `GET /healthcheck` 200 while SERVING, 503 otherwise, like the separate
   * health port of the Envoy seed (`health_check_config.port_value: 8282`).
   * 0 picks a free port; undefined = no such listener (health is gRPC only).
   */
  readonly healthPort?: number;
  /**
   * ZONEMESH_HEALTH_ADVERTISE_PORT: the health port callers are told (the
   * health port's fault proxy), registered as metadata `health_check_port`;
   * default = the bound health port.
   */
  readonly healthAdvertisePort?: number;
  /**
   * ZONEMESH_REGISTRY_SESSION (default 20m, Eureka's): how long the client
   * stays on a fallback registry before trying its own zone's again (+/- 50%).
   */
  readonly registrySessionMs: number;
  /**
   * ZONEMESH_CLUSTERS_FILE: YAML whose `clusters:` are the upstreams (mesh.yaml): each one's
   * target (`static` endpoints, or `eureka` app via the registries) and LB settings.
   */
  readonly clustersFile?: string;
  /**
   * ZONEMESH_DRAIN_PERIOD (`0s` turns draining off): how long a stopping
   * instance keeps serving after NOT_SERVING + deregistration. Unset: derived
   * from the fetch interval and the callers' health checks (drainPeriodMs).
   */
  readonly drainPeriodMs?: number;
  /** ZONEMESH_LB_MODE: `zonemesh` (default) or `grpc-rr`, plain grpc-js round_robin: the chaos baseline. */
  readonly lbMode: 'zonemesh' | 'grpc-rr';
}

/** A configuration error; its message is one line naming the variable(s). */
export class ServiceEnvError extends Error {
  override readonly name = 'ServiceEnvError';
}

type Env = Readonly<Record<string, string | undefined>>;

const MESH_SERVICES = Object.keys(SERVICE_CONTRACTS) as MeshServiceName[];
const SERVICES: readonly ServiceName[] = [...MESH_SERVICES, 'gateway'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VERSION = /^v\d+$/;

/**
 * Reads and validates the ZONEMESH_* variables. Every problem is reported,
 * joined on one line, so a misconfigured process fails once with all of them.
 * `expected` is the service this binary implements: ZONEMESH_SERVICE then
 * defaults to it and must not name another one.
 */
export function loadServiceEnv(env: Env = process.env, expected?: ServiceName): ServiceEnv {
  const errors: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (error) {
      errors.push((error as Error).message);
      return fallback;
    }
  };
  const required = (name: string): string => {
    const value = read(name);
    if (value === undefined) errors.push(`${name}: required`);
    return value ?? '';
  };
  const matching = (name: string, value: string, pattern: RegExp, expected: string): string => {
    if (value !== '' && !pattern.test(value)) errors.push(`${name}: expected ${expected}, got ${JSON.stringify(value)}`);
    return value;
  };
  const port = (name: string, value: string | undefined): number => {
    if (value === undefined) return 0;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > 65535) {
      errors.push(`${name}: expected a port number 1-65535, got ${JSON.stringify(value)}`);
      return 0;
    }
    return n;
  };
  const duration = (name: string, fallback: string): number =>
    attempt(() => readPositiveDuration(read(name) ?? fallback, name), 0);

  const serviceText = expected === undefined ? required('ZONEMESH_SERVICE') : (read('ZONEMESH_SERVICE') ?? expected);
  if (expected !== undefined && serviceText !== expected) {
    errors.push(`ZONEMESH_SERVICE: this program runs ${JSON.stringify(expected)}, got ${JSON.stringify(serviceText)}`);
  } else if (serviceText !== '' && !SERVICES.includes(serviceText as ServiceName)) {
    errors.push(`ZONEMESH_SERVICE: expected one of ${SERVICES.join(', ')}, got ${JSON.stringify(serviceText)}`);
  }
  const service = serviceText as ServiceName;
  const zone = matching('ZONEMESH_ZONE', required('ZONEMESH_ZONE'), NAME, 'a zone name like "zone-a"');
  const instanceId = matching('ZONEMESH_INSTANCE_ID', read('ZONEMESH_INSTANCE_ID') ?? `${service}-${zone}-1`, NAME, 'an id like "catalog-zone-a-1"');
  const host = read('ZONEMESH_HOST') ?? '127.0.0.1';
  const bindPort = port('ZONEMESH_PORT', required('ZONEMESH_PORT') || undefined);
  const advertiseHost = read('ZONEMESH_ADVERTISE_HOST') ?? host;
  const advertiseText = read('ZONEMESH_ADVERTISE_PORT');
  const advertisePort = advertiseText === undefined ? bindPort : port('ZONEMESH_ADVERTISE_PORT', advertiseText);
  const metricsText = read('ZONEMESH_METRICS_PORT');
  const metricsPort = metricsText === undefined ? undefined : port('ZONEMESH_METRICS_PORT', metricsText);
  if (metricsPort !== undefined && metricsPort === bindPort) {
    errors.push('ZONEMESH_METRICS_PORT: must differ from ZONEMESH_PORT (gRPC speaks HTTP/2 only)');
  }
  const healthText = read('ZONEMESH_HEALTH_PORT');
  // 0 is meaningful here (pick a free port): the bound port is what gets advertised then.
  const healthPort = healthText === undefined ? undefined : healthText === '0' ? 0 : port('ZONEMESH_HEALTH_PORT', healthText);
  if (healthPort !== undefined && healthPort !== 0 && (healthPort === bindPort || healthPort === metricsPort)) {
    errors.push('ZONEMESH_HEALTH_PORT: must differ from ZONEMESH_PORT and ZONEMESH_METRICS_PORT');
  }
  const healthAdvertiseText = read('ZONEMESH_HEALTH_ADVERTISE_PORT');
  const healthAdvertisePort = healthAdvertiseText === undefined ? undefined : port('ZONEMESH_HEALTH_ADVERTISE_PORT', healthAdvertiseText);
  if (healthAdvertisePort !== undefined && healthPort === undefined) {
    errors.push('ZONEMESH_HEALTH_ADVERTISE_PORT: set only with ZONEMESH_HEALTH_PORT (there is no health listener to advertise)');
  }
  const version = matching('ZONEMESH_VERSION', read('ZONEMESH_VERSION') ?? 'v1', VERSION, 'a version like "v1"');
  const registryUrls = read('ZONEMESH_REGISTRY_URLS') ?? '';
  const registries = registryUrls === '' ? [] : attempt(() => parseRegistryUrls(registryUrls, 'ZONEMESH_REGISTRY_URLS'), []);
  const renewIntervalMs = duration('ZONEMESH_RENEW_INTERVAL', '30s');
  const leaseDurationMs = duration('ZONEMESH_LEASE_DURATION', '90s');
  const fetchIntervalMs = duration('ZONEMESH_FETCH_INTERVAL', '30s');
  const registrySessionMs = duration('ZONEMESH_REGISTRY_SESSION', '20m');
  const clustersFile = read('ZONEMESH_CLUSTERS_FILE');
  const drainText = read('ZONEMESH_DRAIN_PERIOD');
  // readPositiveDuration refuses zero; here zero is meaningful (no drain, e.g. in tests).
  const drainPeriodMs = drainText === undefined ? undefined : /^0+(ms|s)?$/.test(drainText) ? 0 : attempt(() => readPositiveDuration(drainText, 'ZONEMESH_DRAIN_PERIOD'), 0);
  const lbModeText = read('ZONEMESH_LB_MODE') ?? 'zonemesh';
  if (lbModeText !== 'zonemesh' && lbModeText !== 'grpc-rr') {
    errors.push(`ZONEMESH_LB_MODE: expected zonemesh or grpc-rr, got ${JSON.stringify(lbModeText)}`);
  }
  if (renewIntervalMs > 0 && leaseDurationMs > 0 && leaseDurationMs <= renewIntervalMs) {
    errors.push('ZONEMESH_LEASE_DURATION: must be longer than ZONEMESH_RENEW_INTERVAL, or the lease expires between renewals');
  }
  if (zone !== '' && registries.length > 0 && !registries.some((r) => r.zone === zone)) {
    errors.push(`ZONEMESH_REGISTRY_URLS: no registry for ZONEMESH_ZONE ${JSON.stringify(zone)}`);
  }
  // One source of truth for targets: a leftover static list would otherwise be silently ignored.
  for (const name of MESH_SERVICES) {
    const variable = `ZONEMESH_UPSTREAM_${name.toUpperCase()}`;
    if (read(variable) !== undefined) {
      errors.push(`${variable}: no longer read; targets come from the clusters: of ZONEMESH_CLUSTERS_FILE (a static cluster's endpoints or an eureka cluster's app)`);
    }
  }

  if (errors.length > 0) throw new ServiceEnvError(errors.join('; '));
  return Object.freeze({
    service,
    instanceId,
    zone,
    host,
    port: bindPort,
    advertiseHost,
    advertisePort,
    version,
    registries,
    registryUrls,
    renewIntervalMs,
    leaseDurationMs,
    fetchIntervalMs,
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    ...(healthPort !== undefined ? { healthPort } : {}),
    ...(healthAdvertisePort !== undefined ? { healthAdvertisePort } : {}),
    registrySessionMs,
    ...(clustersFile !== undefined ? { clustersFile } : {}),
    ...(drainPeriodMs !== undefined ? { drainPeriodMs } : {}),
    lbMode: lbModeText as ServiceEnv['lbMode'],
  });
}

/** The mesh's zones as this process knows them: its own and its registries'. Metric labels of any other zone are bounded to `other`. */
export function meshZones(env: Pick<ServiceEnv, 'zone' | 'registries'>): string[] {
  return [...new Set([env.zone, ...env.registries.map((r) => r.zone)])].filter((zone) => zone !== '');
}
