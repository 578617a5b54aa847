import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import {
  ConfigError,
  childPath,
  optional,
  parseClusterList,
  readArray,
  readBoolean,
  readDuration,
  readEnum,
  readInteger,
  readObject,
  readPort,
  readString,
  type ClusterConfig,
} from '@zonemesh/lb';

/** The validated form of mesh.yaml: what `zonemesh up` starts. */
export interface MeshConfig {
  /** The file it was read from; callers read their `clusters` from it. */
  readonly sourcePath?: string;
  /** Load-balancing settings per upstream cluster (libs/lb's schema). */
  readonly clusters: readonly ClusterConfig[];
  readonly host: string;
  readonly zones: readonly string[];
  readonly registry: {
    readonly profile: 'fast' | 'eureka';
    readonly ports: Readonly<Record<string, number>>;
  };
  readonly gateway: { readonly zone: string; readonly port: number };
  /** The Toxiproxy-compatible fault proxy in front of every instance and registry. */
  readonly faultProxy: { readonly enabled: boolean; readonly port: number };
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
}

export interface ServiceConfig {
  readonly name: 'catalog' | 'pricing' | 'inventory';
  readonly versions: readonly string[];
  readonly instancesPerZone: number;
}

const SERVICE_NAMES = ['catalog', 'pricing', 'inventory'] as const;
const ZONE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
const VERSION_NAME = /^v[0-9]+$/;

export async function loadMeshConfig(path: string): Promise<MeshConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError('', `${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return { ...parseMeshConfig(document), sourcePath: path };
}

export function parseMeshConfig(document: unknown): MeshConfig {
  const root = readObject(document, '', ['host', 'zones', 'registry', 'gateway', 'fault_proxy', 'services', 'discovery', 'clusters']);
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
    const node = readObject(servicesNode[name] ?? {}, path, ['versions', 'instances_per_zone']);
    const versions = optional(node.versions, ['v1'], (v) =>
      readArray(v, `${path}.versions`).map((x, i) => readString(x, childPath(`${path}.versions`, i), VERSION_NAME, 'expected a version like "v2"')),
    );
    list.push({
      name,
      versions,
      instancesPerZone: optional(node.instances_per_zone, instancesPerZone, (v) => readInteger(v, `${path}.instances_per_zone`, 1, 20)),
    });
  }

  const faultProxyNode = readObject(root.fault_proxy ?? {}, 'fault_proxy', ['enabled', 'port']);
  const discoveryNode = readObject(root.discovery ?? {}, 'discovery', ['renew_interval', 'lease_duration', 'fetch_interval', 'registry_session']);
  return {
    clusters: optional(root.clusters, [] as ClusterConfig[], (v) => parseClusterList(v, 'clusters')),
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
  };
}
