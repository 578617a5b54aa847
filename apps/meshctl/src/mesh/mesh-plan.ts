import { formatDuration } from '@zonemesh/config';
import { drainPeriodMs, serviceExitBudgetMs } from '@zonemesh/runtime';
import { stringify } from 'yaml';
import type { MeshConfig } from './mesh-config.js';
import { PortAllocator } from './ports.js';
import { type RegistryCredentials, withCredential } from './registry-credentials.js';

/** What a process runs: one of the apps, or the fault proxy (served by the CLI itself). */
export type AppName = 'registry' | 'catalog' | 'pricing' | 'inventory' | 'gateway' | 'toxiproxy' | 'reviews' | 'registry-sync';

export type ReadinessProbe =
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'grpc'; readonly address: string };

/** A Toxiproxy proxy in front of a process; its address is what the process advertises. */
export interface ProxySpec {
  readonly name: string;
  /** Where the proxy listens, as Toxiproxy is told (its own network view). */
  readonly listen: string;
  /** The process behind it, as Toxiproxy reaches it. */
  readonly upstream: string;
  /** The proxy as every caller reaches it: what instances register. */
  readonly advertiseHost: string;
  readonly port: number;
}

/**
 * Where the proxies live. The default is the embedded fault proxy on this
 * host; a real Toxiproxy elsewhere (a container) sees other addresses, so a
 * caller supplies them and runs that Toxiproxy itself.
 */
export interface ExternalFaultProxy {
  readonly apiUrl: string;
  address(name: string, upstreamPort: number): Promise<{ listen: string; upstream: string; advertiseHost: string; advertisePort: number }>;
}

export interface PlanOptions {
  readonly externalFaultProxy?: ExternalFaultProxy;
  /**
   * Turns registry auth on: registries get the user and peer credentials,
   * every caller's registry URL carries the user credential. Off without.
   */
  readonly registryCredentials?: RegistryCredentials;
}

/** One process of the mesh, fully resolved: what to run, where, and how to know it is up. */
export interface ProcessSpec {
  readonly name: string;
  readonly app: AppName;
  readonly zone: string;
  readonly version?: string;
  readonly host: string;
  readonly port: number;
  /** Where this process listens (what a person curls). */
  readonly url: string;
  /** Where Prometheus scrapes it. */
  readonly metricsUrl: string;
  readonly proxy?: ProxySpec;
  /** The separate health port (`separate_health_port`): where GET /healthcheck listens. */
  readonly healthUrl?: string;
  /** Its own proxy, `<name>-health`: what the instance registers as `health_check_port`. */
  readonly healthProxy?: ProxySpec;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
  readonly probe: ReadinessProbe;
  /**
   * Files the process reads (name -> content): the launcher writes them into
   * the process's own work directory and starts it there, so `args` name them
   * by relative path.
   */
  readonly files?: Readonly<Record<string, string>>;
  /** How long a stop waits after SIGTERM before SIGKILL; undefined: the supervisor's default. */
  readonly stopGraceMs?: number;
}

export interface MeshPlan {
  readonly config: MeshConfig;
  readonly toxiproxy?: ProcessSpec;
  /** The Toxiproxy API every proxy is managed through (embedded or external). */
  readonly toxiproxyUrl?: string;
  readonly registries: readonly ProcessSpec[];
  readonly services: readonly ProcessSpec[];
  /** Legacy instances that do not register themselves (reviews), kept in the registry by `syncer`. */
  readonly legacy: readonly ProcessSpec[];
  /** `zonemesh sync`, when registry_sync is enabled. */
  readonly syncer?: ProcessSpec;
  readonly gateway: ProcessSpec;
  readonly all: readonly ProcessSpec[];
  /** Every proxy, in the shape of Toxiproxy's populate file. */
  readonly proxies: readonly ProxySpec[];
}

/**
 * Expands mesh.yaml into concrete processes with ports. Instance ids carry
 * the zone (`catalog-zone-a-1`, `pricing-v2-zone-b-2`) so every answer's
 * `servedBy` shows where it was served. With the fault proxy on, each
 * instance and registry gets a proxy of the same name, and callers only ever
 * see proxy addresses — a disabled proxy is a dead instance to everyone.
 * A service with `separate_health_port` gets a second proxy per instance,
 * `<instance>-health`, in front of its health listener: disabled, the
 * callers' health checks fail while the traffic proxy still works.
 */
export async function planMesh(config: MeshConfig, options: PlanOptions = {}): Promise<MeshPlan> {
  const ports = new PortAllocator(config.host);
  const host = config.host;
  const external = options.externalFaultProxy;
  const proxied = config.faultProxy.enabled || external !== undefined;
  const proxies: ProxySpec[] = [];
  const proxyFor = async (name: string, upstreamPort: number): Promise<ProxySpec | undefined> => {
    if (!proxied) return undefined;
    let proxy: ProxySpec;
    if (external) {
      const a = await external.address(name, upstreamPort);
      proxy = { name, listen: a.listen, upstream: a.upstream, advertiseHost: a.advertiseHost, port: a.advertisePort };
    } else {
      const port = await ports.take(0);
      proxy = { name, listen: `${host}:${port}`, upstream: `${host}:${upstreamPort}`, advertiseHost: host, port };
    }
    proxies.push(proxy);
    return proxy;
  };

  let toxiproxy: ProcessSpec | undefined;
  if (config.faultProxy.enabled && !external) {
    const port = await ports.take(config.faultProxy.port);
    toxiproxy = {
      name: 'toxiproxy',
      app: 'toxiproxy',
      zone: '-',
      ...httpAddresses(host, port),
      env: {},
      // A mesh told to listen on every interface exposes its proxies there too, on purpose.
      args: [
        'toxiproxy',
        '--host',
        host,
        '--port',
        String(port),
        '--max-connections',
        String(config.faultProxy.maxConnections),
        '--upstream-connect-timeout',
        `${config.faultProxy.upstreamConnectTimeoutMs}ms`,
        ...(host === '0.0.0.0' || host === '::' ? ['--allow-remote-listen'] : []),
      ],
      probe: { kind: 'http', url: `http://${host}:${port}/version` },
    };
  }

  // Registries: the real port is the contract's (8761...); peers and clients go through the proxy.
  const registryPorts = new Map<string, number>();
  for (const zone of config.zones) registryPorts.set(zone, await ports.take(config.registry.ports[zone]!));
  const registryProxies = new Map<string, ProxySpec | undefined>();
  for (const zone of config.zones) registryProxies.set(zone, await proxyFor(`registry-${zone}`, registryPorts.get(zone)!));
  const reachableRegistry = (zone: string) => {
    const proxy = registryProxies.get(zone);
    return `http://${proxy ? `${proxy.advertiseHost}:${proxy.port}` : `${host}:${registryPorts.get(zone)}`}/eureka`;
  };
  const credentials = options.registryCredentials;
  // What callers (services, gateway, syncer) are given: they write, so they carry the user credential.
  const callerRegistry = (zone: string) => (credentials ? withCredential(reachableRegistry(zone), credentials.user) : reachableRegistry(zone));

  const registries: ProcessSpec[] = config.zones.map((zone) => {
    const port = registryPorts.get(zone)!;
    const proxy = registryProxies.get(zone);
    return {
      name: `registry-${zone}`,
      app: 'registry',
      zone,
      ...httpAddresses(host, port, proxy),
      env: {
        ZONEMESH_ZONE: zone,
        ZONEMESH_HOST: host,
        ZONEMESH_PORT: String(port),
        ZONEMESH_REGISTRY_PROFILE: config.registry.profile,
        // Peers without user info: the registries send the peer credential to each other.
        ZONEMESH_REGISTRY_PEERS: config.zones.filter((z) => z !== zone).map(reachableRegistry).join(','),
        ...(credentials ? { ZONEMESH_REGISTRY_USERS: credentials.user, ZONEMESH_REGISTRY_PEER_CREDENTIALS: credentials.peer } : {}),
      },
      args: [],
      probe: { kind: 'http', url: `http://${host}:${port}/eureka/apps` },
    };
  });

  const discoveryEnv = {
    ZONEMESH_REGISTRY_URLS: config.zones.map((zone) => `${zone}=${callerRegistry(zone)}`).join(','),
    ZONEMESH_RENEW_INTERVAL: formatDuration(config.discovery.renewIntervalMs),
    ZONEMESH_LEASE_DURATION: formatDuration(config.discovery.leaseDurationMs),
    ZONEMESH_FETCH_INTERVAL: formatDuration(config.discovery.fetchIntervalMs),
    ZONEMESH_REGISTRY_SESSION: formatDuration(config.discovery.registrySessionMs),
    // Callers read their clusters' LB settings from the same file.
    ...(config.sourcePath && config.clusters.length > 0 ? { ZONEMESH_CLUSTERS_FILE: config.sourcePath } : {}),
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
          const proxy = await proxyFor(name, port);
          // gRPC ports speak HTTP/2 only: metrics get a plain HTTP port of their own.
          const metricsPort = await ports.take(0);
          // The Envoy seed's separate health port: its own listener and its own proxy, so it can fail alone.
          const healthPort = service.separateHealthPort ? await ports.take(0) : undefined;
          const healthProxy = healthPort === undefined ? undefined : await proxyFor(`${name}-health`, healthPort);
          // A stopping instance drains (see drainPeriodMs): SIGKILL only once its own bound has passed.
          const drainMs = drainPeriodMs(config.discovery.fetchIntervalMs, config.clusters.find((c) => c.name === service.name));
          services.push({
            name,
            app: service.name,
            zone,
            version,
            host,
            port,
            url: `${host}:${port}`,
            metricsUrl: `http://${host}:${metricsPort}/metrics`,
            ...(proxy ? { proxy } : {}),
            ...(healthPort === undefined ? {} : { healthUrl: `http://${host}:${healthPort}/healthcheck` }),
            ...(healthProxy ? { healthProxy } : {}),
            env: {
              ...discoveryEnv,
              ZONEMESH_SERVICE: service.name,
              ZONEMESH_INSTANCE_ID: name,
              ZONEMESH_ZONE: zone,
              ZONEMESH_HOST: host,
              ZONEMESH_PORT: String(port),
              ZONEMESH_METRICS_PORT: String(metricsPort),
              ...(proxy ? { ZONEMESH_ADVERTISE_HOST: proxy.advertiseHost, ZONEMESH_ADVERTISE_PORT: String(proxy.port) } : {}),
              ...(healthPort === undefined ? {} : { ZONEMESH_HEALTH_PORT: String(healthPort) }),
              ...(healthProxy ? { ZONEMESH_HEALTH_ADVERTISE_PORT: String(healthProxy.port) } : {}),
              ZONEMESH_VERSION: version,
            },
            args: [],
            probe: { kind: 'grpc', address: `${host}:${port}` },
            stopGraceMs: serviceExitBudgetMs(drainMs) + 1_000,
          });
        }
      }
    }
  }

  const legacy: ProcessSpec[] = [];
  if (config.reviews) {
    let nextReviewsPort = config.reviews.basePort;
    for (const zone of config.zones) {
      for (let n = 1; n <= config.reviews.instancesPerZone; n++) {
        const name = `reviews-${zone}-${n}`;
        const port = await ports.take(nextReviewsPort === 0 ? 0 : nextReviewsPort++);
        const proxy = await proxyFor(name, port);
        legacy.push({
          name,
          app: 'reviews',
          zone,
          ...httpAddresses(host, port, proxy),
          // Deliberately no registry URLs: it cannot register itself.
          env: { ZONEMESH_INSTANCE_ID: name, ZONEMESH_ZONE: zone, ZONEMESH_HOST: host, ZONEMESH_PORT: String(port) },
          args: [],
          probe: { kind: 'http', url: `http://${host}:${port}/healthz` },
        });
      }
    }
  }

  let syncer: ProcessSpec | undefined;
  const sync = config.registrySync;
  if (sync?.enabled) {
    const port = await ports.take(sync.adminPort);
    const id = `registry-sync-${sync.zone}`;
    // Registered by their proxy addresses, as self-registering instances are: a disabled proxy is a dead instance.
    const instances = legacy.map((spec) => ({
      app: 'REVIEWS',
      id: spec.name,
      host: spec.proxy?.advertiseHost ?? spec.host,
      port: spec.proxy?.port ?? spec.port,
      zone: spec.zone,
      metadata: { zone: spec.zone, service: 'reviews', protocol: 'http' },
    }));
    const syncConfig = {
      id,
      zone: sync.zone,
      eureka: {
        // Through the registry proxies: disabling registry-zone-a's proxy is what the syncer sees.
        servers: config.zones.map((zone) => ({ zone, url: callerRegistry(zone) })),
        connect_timeout: formatDuration(sync.connectTimeoutMs),
        read_timeout: formatDuration(sync.readTimeoutMs),
        zone_failover: { failed_instance_ttl: formatDuration(sync.failedInstanceTtlMs) },
      },
      lease: { renewal_interval: formatDuration(sync.renewIntervalMs), duration: formatDuration(sync.leaseDurationMs) },
      source: { type: 'static', path: 'instances.yaml' },
      admin: { host, port },
    };
    syncer = {
      name: 'registry-sync',
      app: 'registry-sync',
      zone: sync.zone,
      ...httpAddresses(host, port),
      env: { ZONEMESH_INSTANCE_ID: id, ZONEMESH_ZONE: sync.zone },
      args: ['--config', 'sync.yaml'],
      // 200 once every reviews instance is registered (and a previous run's leftovers are gone).
      probe: { kind: 'http', url: `http://${host}:${port}/healthz` },
      files: { 'sync.yaml': stringify(syncConfig), 'instances.yaml': stringify({ instances }) },
    };
  }

  const gatewayPort = await ports.take(config.gateway.port);
  const gateway: ProcessSpec = {
    name: 'gateway',
    app: 'gateway',
    zone: config.gateway.zone,
    ...httpAddresses(host, gatewayPort),
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

  return {
    config,
    ...(toxiproxy ? { toxiproxy } : {}),
    ...(external ? { toxiproxyUrl: external.apiUrl } : toxiproxy ? { toxiproxyUrl: toxiproxy.url } : {}),
    registries,
    services,
    legacy,
    ...(syncer ? { syncer } : {}),
    gateway,
    all: [...(toxiproxy ? [toxiproxy] : []), ...registries, ...services, ...legacy, ...(syncer ? [syncer] : []), gateway],
    proxies,
  };
}

/** Where an HTTP process listens and is scraped (the same port), and the proxy in front of it if there is one. */
function httpAddresses(host: string, port: number, proxy?: ProxySpec): Pick<ProcessSpec, 'host' | 'port' | 'url' | 'metricsUrl' | 'proxy'> {
  return { host, port, url: `http://${host}:${port}`, metricsUrl: `http://${host}:${port}/metrics`, ...(proxy ? { proxy } : {}) };
}
