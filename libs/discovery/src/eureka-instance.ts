/** What a service says about itself when it registers. */
export interface EurekaInstanceSpec {
  /** Application name; sent upper-cased, vipAddress is the lower-cased form. */
  readonly app: string;
  readonly instanceId: string;
  /** The address callers should use (the fault proxy's, under the testbed). */
  readonly host: string;
  readonly port: number;
  /** Defaults to `host` (services register an IP on loopback). */
  readonly ipAddr?: string;
  readonly zone: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Eureka's `healthCheckUrl` (e.g. a separate health port's `http://host:8282/healthcheck`); omitted when undefined. */
  readonly healthCheckUrl?: string;
  /** Lease duration the registry applies (Eureka default 90). */
  readonly leaseDurationSecs?: number;
  /** Heartbeat period (Eureka default 30 000). */
  readonly renewalIntervalMs?: number;
}

/**
 * The register body in the Eureka Jackson shape. `zone` goes into metadata
 * where Spring Cloud LoadBalancer and our EurekaAppSource read it.
 */
export function eurekaInstanceBody(spec: EurekaInstanceSpec, lastDirtyTimestamp: number): { instance: Record<string, unknown> } {
  const app = spec.app.toUpperCase();
  const vip = spec.app.toLowerCase();
  return {
    instance: {
      instanceId: spec.instanceId,
      hostName: spec.host,
      app,
      ipAddr: spec.ipAddr ?? spec.host,
      status: 'UP',
      overriddenStatus: 'UNKNOWN',
      port: { $: spec.port, '@enabled': 'true' },
      securePort: { $: 443, '@enabled': 'false' },
      countryId: 1,
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: {
        renewalIntervalInSecs: Math.max(1, Math.ceil((spec.renewalIntervalMs ?? 30_000) / 1000)),
        durationInSecs: spec.leaseDurationSecs ?? 90,
      },
      metadata: { ...spec.metadata, zone: spec.zone },
      ...(spec.healthCheckUrl ? { healthCheckUrl: spec.healthCheckUrl } : {}),
      vipAddress: vip,
      secureVipAddress: vip,
      isCoordinatingDiscoveryServer: 'false',
      lastUpdatedTimestamp: String(lastDirtyTimestamp),
      lastDirtyTimestamp: String(lastDirtyTimestamp),
    },
  };
}
