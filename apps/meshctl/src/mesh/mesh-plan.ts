import { formatDuration } from '@zonemesh/lb';
import type { MeshConfig } from './mesh-config.js';
import { PortAllocator } from './ports.js';

export type AppName = 'registry' | 'catalog' | 'pricing' | 'inventory' | 'gateway';

export type ReadinessProbe =
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'grpc'; readonly address: string };

/** One process of the mesh, fully resolved: what to run, where, and how to know it is up. */
export interface ProcessSpec {
  readonly name: string;
  readonly app: AppName;
  readonly zone: string;
  readonly version?: string;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly probe: ReadinessProbe;
}

export interface MeshPlan {
  readonly config: MeshConfig;
  readonly registries: readonly ProcessSpec[];
  readonly services: readonly ProcessSpec[];
  readonly gateway: ProcessSpec;
  readonly all: readonly ProcessSpec[];
}

/**
 * Expands mesh.yaml into concrete processes with ports. Instance ids carry
 * the zone (`catalog-zone-a-1`, `pricing-v2-zone-b-2`) so that every answer's
 * `servedBy` shows where it was served.
 */
export async function planMesh(config: MeshConfig): Promise<MeshPlan> {
  const ports = new PortAllocator(config.host);
  const host = config.host;

  const registryPorts = new Map<string, number>();
  for (const zone of config.zones) registryPorts.set(zone, await ports.take(config.registry.ports[zone]!));
  const registryUrl = (zone: string) => `http://${host}:${registryPorts.get(zone)}`;
  const registries: ProcessSpec[] = config.zones.map((zone) => ({
    name: `registry-${zone}`,
    app: 'registry',
    zone,
    host,
    port: registryPorts.get(zone)!,
    url: registryUrl(zone),
    env: {
      ZONEMESH_ZONE: zone,
      ZONEMESH_HOST: host,
      ZONEMESH_PORT: String(registryPorts.get(zone)),
      ZONEMESH_REGISTRY_PROFILE: config.registry.profile,
      ZONEMESH_REGISTRY_PEERS: config.zones.filter((z) => z !== zone).map((z) => `${registryUrl(z)}/eureka`).join(','),
    },
    args: [],
    probe: { kind: 'http', url: `${registryUrl(zone)}/eureka/apps` },
  }));
  const registryUrls = config.zones.map((zone) => `${zone}=${registryUrl(zone)}/eureka`).join(',');

  const discoveryEnv = {
    ZONEMESH_REGISTRY_URLS: registryUrls,
    ZONEMESH_RENEW_INTERVAL: formatDuration(config.discovery.renewIntervalMs),
    ZONEMESH_LEASE_DURATION: formatDuration(config.discovery.leaseDurationMs),
    ZONEMESH_FETCH_INTERVAL: formatDuration(config.discovery.fetchIntervalMs),
  };

  const services: ProcessSpec[] = [];
  let nextFixedPort = config.services.basePort;
  for (const service of config.services.list) {
    for (const version of service.versions) {
      for (const zone of config.zones) {
        for (let n = 1; n <= service.instancesPerZone; n++) {
          const versioned = service.versions.length > 1;
          const name = `${service.name}${versioned ? `-${version}` : ''}-${zone}-${n}`;
          const port = await ports.take(nextFixedPort === 0 ? 0 : nextFixedPort++);
          services.push({
            name,
            app: service.name,
            zone,
            version,
            host,
            port,
            url: `${host}:${port}`,
            env: {
              ...discoveryEnv,
              ZONEMESH_SERVICE: service.name,
              ZONEMESH_INSTANCE_ID: name,
              ZONEMESH_ZONE: zone,
              ZONEMESH_HOST: host,
              ZONEMESH_PORT: String(port),
              ZONEMESH_VERSION: version,
            },
            args: [],
            probe: { kind: 'grpc', address: `${host}:${port}` },
          });
        }
      }
    }
  }

  const gatewayPort = await ports.take(config.gateway.port);
  const gateway: ProcessSpec = {
    name: 'gateway',
    app: 'gateway',
    zone: config.gateway.zone,
    host,
    port: gatewayPort,
    url: `http://${host}:${gatewayPort}`,
    env: {
      ...discoveryEnv,
      ZONEMESH_SERVICE: 'gateway',
      ZONEMESH_INSTANCE_ID: `gateway-${config.gateway.zone}-1`,
      ZONEMESH_ZONE: config.gateway.zone,
      ZONEMESH_HOST: host,
      ZONEMESH_PORT: String(gatewayPort),
    },
    args: [],
    probe: { kind: 'http', url: `http://${host}:${gatewayPort}/healthz` },
  };

  return { config, registries, services, gateway, all: [...registries, ...services, gateway] };
}
