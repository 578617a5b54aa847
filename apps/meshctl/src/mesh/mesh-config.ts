import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_PROXY_LIMITS } from '@zonemesh/toxiproxy';
import { ConfigError, readYamlFile, childPath, optional, readArray, readBoolean, readDuration, readEnum, readInteger, readObject, readPort, readString } from '@zonemesh/config';
import { parseClusterList, type ClusterConfig, type ClusterListOptions } from '@zonemesh/lb';
import { parseRouteList, type RouteConfig } from '@zonemesh/routing';

/** The validated form of mesh.yaml: what `zonemesh up` starts. */
export interface MeshConfig {
  /** The file it was read from; callers read their `clusters` from it. */
  readonly sourcePath?: string;
  /** Load-balancing settings per upstream cluster (libs/lb's schema). */
  readonly clusters: readonly ClusterConfig[];
  /** The gateway's L7 routes (libs/routing's schema); undefined = the gateway's default routes. */
  readonly routes?: readonly RouteConfig[];
  readonly host: string;
  readonly zones: readonly string[];
  readonly registry: {
    readonly profile: 'fast' | 'eureka';
    readonly ports: Readonly<Record<string, number>>;
  };
  readonly gateway: { readonly zone: string; readonly port: number };
  /** The Toxiproxy-compatible fault proxy in front of every instance and registry. */
  readonly faultProxy: {
    readonly enabled: boolean;
    readonly port: number;
    /** Client connections each proxy keeps open at most (beyond: closed at once, counted). */
    readonly maxConnections: number;
    /** A dial to the upstream not connected by then closes the client (counted). */
    readonly upstreamConnectTimeoutMs: number;
  };
  readonly services: {
    readonly basePort: number;
    readonly instancesPerZone: number;
    readonly list: readonly ServiceConfig[];
  };
  readonly discovery: {
    readonly renewIntervalMs: number;
    readonly leaseDurationMs: number;
    readonly fetchIntervalMs: number;
    /** How long a service renews through another zone's registry before trying its own again. */
    readonly registrySessionMs: number;
  };
  /** The legacy plain-HTTP `reviews` service: never registers itself; undefined = not part of the mesh. */
  readonly reviews?: { readonly basePort: number; readonly instancesPerZone: number };
  /** `zonemesh sync`, registering the reviews instances; undefined or disabled = not started. */
  readonly registrySync?: RegistrySyncConfig;
}

/** The syncer's settings in mesh.yaml (`registry_sync:`); the plan turns them into its sync.yaml. */
export interface RegistrySyncConfig {
  readonly enabled: boolean;
  /** Its preferred registry's zone. */
  readonly zone: string;
  /** `GET /healthz`, `/status`, `/metrics` of the syncer. */
  readonly adminPort: number;
  readonly failedInstanceTtlMs: number;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly renewIntervalMs: number;
  readonly leaseDurationMs: number;
}

export interface ServiceConfig {
  readonly name: 'catalog' | 'pricing' | 'inventory';
  readonly versions: readonly string[];
  readonly instancesPerZone: number;
  /**
   * `separate_health_port: true`: every instance also serves GET /healthcheck
   * on a plain-HTTP port of its own, behind its own fault proxy
   * `<instance>-health` (the Envoy seed's `health_check_config.port_value`).
   */
  readonly separateHealthPort: boolean;
}

const SERVICE_NAMES = ['catalog', 'pricing', 'inventory'] as const;
const ZONE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
const VERSION_NAME = /^v[0-9]+$/;

export async function loadMeshConfig(path: string): Promise<MeshConfig> {
  const document = await readYamlFile(path);
  return { ...parseMeshConfig(document, clusterFilesBeside(path)), sourcePath: path };
}

/** `envoy_file:` entries are named relative to the mesh file that names them. */
export function clusterFilesBeside(meshFile: string): ClusterListOptions {
  return { readFile: (file) => parseYaml(readFileSync(resolve(dirname(meshFile), file), 'utf8')) };
}

export function parseMeshConfig(document: unknown, clusterFiles: ClusterListOptions = {}): MeshConfig {
  const root = readObject(document, '', ['host', 'zones', 'registry', 'gateway', 'fault_proxy', 'services', 'discovery', 'clusters', 'routes', 'reviews', 'registry_sync']);
  const host = optional(root.host, '127.0.0.1', (v) => readString(v, 'host'));
  const zones = readArray(root.zones, 'zones').map((z, i) =>
    readString(z, childPath('zones', i), ZONE_NAME, 'expected a zone name like "zone-a"'),
  );
  if (zones.length === 0) throw new ConfigError('zones', 'at least one zone is required');
  if (new Set(zones).size !== zones.length) throw new ConfigError('zones', 'zone names must be unique');

  const registryNode = readObject(root.registry, 'registry', ['profile', 'ports']);
  const portsNode = readObject(registryNode.ports, 'registry.ports', zones);
  const registryPorts: Record<string, number> = {};
  for (const zone of zones) {
    if (portsNode[zone] === undefined) throw new ConfigError(childPath('registry.ports', zone), 'missing (every zone runs a registry)');
    registryPorts[zone] = readPort(portsNode[zone], childPath('registry.ports', zone));
  }

  const gatewayNode = readObject(root.gateway, 'gateway', ['zone', 'port']);
  const gatewayZone = readEnum(gatewayNode.zone, 'gateway.zone', zones);

  const servicesNode = readObject(root.services, 'services', ['base_port', 'instances_per_zone', ...SERVICE_NAMES]);
  const instancesPerZone = optional(servicesNode.instances_per_zone, 2, (v) => readInteger(v, 'services.instances_per_zone', 1, 20));
  const list: ServiceConfig[] = [];
  for (const name of SERVICE_NAMES) {
    const path = `services.${name}`;
    if (servicesNode[name] === undefined) throw new ConfigError(path, 'missing (the mesh needs catalog, pricing and inventory)');
    const node = readObject(servicesNode[name] ?? {}, path, ['versions', 'instances_per_zone', 'separate_health_port']);
    const versions = optional(node.versions, ['v1'], (v) =>
      readArray(v, `${path}.versions`).map((x, i) => readString(x, childPath(`${path}.versions`, i), VERSION_NAME, 'expected a version like "v2"')),
    );
    list.push({
      name,
      versions,
      instancesPerZone: optional(node.instances_per_zone, instancesPerZone, (v) => readInteger(v, `${path}.instances_per_zone`, 1, 20)),
      separateHealthPort: optional(node.separate_health_port, false, (v) => readBoolean(v, `${path}.separate_health_port`)),
    });
  }

  const faultProxyNode = readObject(root.fault_proxy ?? {}, 'fault_proxy', ['enabled', 'port', 'max_connections', 'upstream_connect_timeout']);
  const discoveryNode = readObject(root.discovery ?? {}, 'discovery', ['renew_interval', 'lease_duration', 'fetch_interval', 'registry_session']);
  return {
    clusters: optional(root.clusters, [] as ClusterConfig[], (v) => parseClusterList(v, 'clusters', clusterFiles)),
    ...(root.routes !== undefined ? { routes: parseRouteList(root.routes, 'routes') } : {}),
    host,
    zones,
    registry: {
      profile: optional(registryNode.profile, 'fast' as const, (v) => readEnum(v, 'registry.profile', ['fast', 'eureka'] as const)),
      ports: registryPorts,
    },
    gateway: { zone: gatewayZone, port: readPort(gatewayNode.port, 'gateway.port') },
    faultProxy: {
      enabled: optional(faultProxyNode.enabled, true, (v) => readBoolean(v, 'fault_proxy.enabled')),
      port: optional(faultProxyNode.port, 8474, (v) => readPort(v, 'fault_proxy.port')),
      maxConnections: optional(faultProxyNode.max_connections, DEFAULT_PROXY_LIMITS.maxConnections, (v) => readInteger(v, 'fault_proxy.max_connections', 1, 1_000_000)),
      upstreamConnectTimeoutMs: optional(faultProxyNode.upstream_connect_timeout, DEFAULT_PROXY_LIMITS.upstreamConnectTimeoutMs, (v) =>
        readDuration(v, 'fault_proxy.upstream_connect_timeout'),
      ),
    },
    services: {
      basePort: optional(servicesNode.base_port, 7100, (v) => readPort(v, 'services.base_port')),
      instancesPerZone,
      list,
    },
    discovery: {
      renewIntervalMs: optional(discoveryNode.renew_interval, 2000, (v) => readDuration(v, 'discovery.renew_interval')),
      leaseDurationMs: optional(discoveryNode.lease_duration, 6000, (v) => readDuration(v, 'discovery.lease_duration')),
      fetchIntervalMs: optional(discoveryNode.fetch_interval, 1000, (v) => readDuration(v, 'discovery.fetch_interval')),
      registrySessionMs: optional(discoveryNode.registry_session, 1_200_000, (v) => readDuration(v, 'discovery.registry_session')),
    },
    ...(root.reviews !== undefined ? { reviews: parseReviews(root.reviews) } : {}),
    ...(root.registry_sync !== undefined ? { registrySync: parseRegistrySync(root.registry_sync, zones) } : {}),
  };
}

function parseReviews(value: unknown): { basePort: number; instancesPerZone: number } {
  const node = readObject(value ?? {}, 'reviews', ['base_port', 'instances_per_zone']);
  return {
    basePort: optional(node.base_port, 7200, (v) => readPort(v, 'reviews.base_port')),
    instancesPerZone: optional(node.instances_per_zone, 2, (v) => readInteger(v, 'reviews.instances_per_zone', 1, 20)),
  };
}

function parseRegistrySync(value: unknown, zones: readonly string[]): RegistrySyncConfig {
  const node = readObject(value ?? {}, 'registry_sync', ['enabled', 'zone', 'admin_port', 'failed_instance_ttl', 'connect_timeout', 'read_timeout', 'lease']);
  const lease = readObject(node.lease ?? {}, 'registry_sync.lease', ['renewal_interval', 'duration']);
  const renewIntervalMs = optional(lease.renewal_interval, 2000, (v) => readDuration(v, 'registry_sync.lease.renewal_interval'));
  const leaseDurationMs = optional(lease.duration, 6000, (v) => readDuration(v, 'registry_sync.lease.duration'));
  if (leaseDurationMs % 1000 !== 0 || leaseDurationMs <= renewIntervalMs) {
    throw new ConfigError('registry_sync.lease.duration', 'expected whole seconds, longer than registry_sync.lease.renewal_interval');
  }
  return {
    enabled: optional(node.enabled, true, (v) => readBoolean(v, 'registry_sync.enabled')),
    zone: optional(node.zone, zones[0]!, (v) => readEnum(v, 'registry_sync.zone', zones)),
    adminPort: optional(node.admin_port, 8790, (v) => readPort(v, 'registry_sync.admin_port')),
    failedInstanceTtlMs: optional(node.failed_instance_ttl, 1_200_000, (v) => readDuration(v, 'registry_sync.failed_instance_ttl')),
    connectTimeoutMs: optional(node.connect_timeout, 5000, (v) => readDuration(v, 'registry_sync.connect_timeout')),
    readTimeoutMs: optional(node.read_timeout, 5000, (v) => readDuration(v, 'registry_sync.read_timeout')),
    renewIntervalMs,
    leaseDurationMs,
  };
}

/** The same mesh with every listening port set to 0 (= pick a free one): how tests run it. */
export function withFreePorts(config: MeshConfig): MeshConfig {
  return {
    ...config,
    registry: { ...config.registry, ports: Object.fromEntries(config.zones.map((z) => [z, 0])) },
    gateway: { ...config.gateway, port: 0 },
    faultProxy: { ...config.faultProxy, port: 0 },
    services: { ...config.services, basePort: 0 },
    ...(config.reviews ? { reviews: { ...config.reviews, basePort: 0 } } : {}),
    ...(config.registrySync ? { registrySync: { ...config.registrySync, adminPort: 0 } } : {}),
  };
}
