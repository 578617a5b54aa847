/**
 * A register body shaped like Spring Cloud's client sends it (Jackson codec,
 * strings for most scalars); `overrides` replace fields of `instance`. The
 * specs' instances and the benchmark's load; not used by the server itself.
 */
export function springRegisterBody(overrides: Record<string, unknown> = {}): { instance: Record<string, unknown> } {
  return {
    instance: {
      instanceId: 'h1:myapp:8080',
      hostName: 'h1',
      app: 'MYAPP',
      ipAddr: '10.0.0.1',
      status: 'UP',
      overriddenStatus: 'UNKNOWN',
      port: { $: 8080, '@enabled': 'true' },
      securePort: { $: 443, '@enabled': 'false' },
      countryId: 1,
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
      metadata: { '@class': 'java.util.Collections$EmptyMap' },
      homePageUrl: 'http://h1:8080/',
      statusPageUrl: 'http://h1:8080/actuator/info',
      healthCheckUrl: 'http://h1:8080/actuator/health',
      vipAddress: 'myapp',
      secureVipAddress: 'myapp',
      isCoordinatingDiscoveryServer: 'false',
      lastDirtyTimestamp: '1699999999000',
      ...overrides,
    },
  };
}
