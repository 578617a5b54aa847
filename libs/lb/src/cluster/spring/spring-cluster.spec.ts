import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '@zonemesh/config';
import { GRPC_CODES } from '../cluster-config.js';
import { readSpringClusters } from './spring-cluster.parse.js';

const EXAMPLE = parseYaml(readFileSync(new URL('../../../examples/eurekube-zone-failover.yaml', import.meta.url), 'utf8')) as unknown;
const INSTANCES = { spring: { cloud: { discovery: { simple: { instances: { svc: [{ host: '127.0.0.1', port: 7001 }] } } } } } };

function problem(document: unknown): string {
  try {
    readSpringClusters(document);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Spring Cloud LoadBalancer / eurekube properties, read as written', () => {
  it('maps the seed file: preferred zone, 20m failed-instance TTL, 5 s timeouts in ms, retry on, zoned instances', () => {
    const read = readSpringClusters(EXAMPLE);
    expect(read.format).toBe('spring');
    expect(read.clusters).toHaveLength(1);
    const { config, callerZone, origins } = read.clusters[0]!;
    expect(callerZone).toBe('eks');
    expect(config).toMatchObject({ name: 'serviceId', type: 'static', connectTimeoutMs: 5_000 });
    expect(config.zoneFailover).toMatchObject({ zoneOrder: ['eks'], failedInstanceTtlMs: 20 * 60_000, healthyThreshold: 0.01 });
    expect(config.retryPolicy).toMatchObject({ maxAttempts: 2, retryOn: [GRPC_CODES.UNAVAILABLE], perTryTimeoutMs: 5_000, timeoutMs: undefined });
    expect(config.endpoints.map((e) => [e.address, e.zone])).toEqual([
      ['127.0.0.1:8761', 'idc'],
      ['127.0.0.2:8761', 'idc'],
      ['127.0.0.3:8761', 'eks'],
      ['127.0.0.4:8761', 'eks'],
    ]);
    expect(origins['zone_failover.failed_instance_ttl']).toEqual(['eurekube', 'zone-failover', 'cache', 'ttl']);
    expect(origins['endpoints[2].zone']).toEqual(['spring', 'cloud', 'discovery', 'simple', 'instances', '[serviceId]', 2, 'metadata', 'zone']);
    expect(read.notes).toEqual([
      'spring.cloud.loadbalancer.cache: accepted; zonemesh keeps no instance-list cache of its own (the resolver pushes every change)',
    ]);
  });

  it("reads the flat properties form the same way, and applies Spring's defaults to what is left out", () => {
    const flat = readSpringClusters({
      'eurekube.zone-failover.preferred-zone': 'eks',
      'eurekube.zone-failover.cache.ttl': 1_200_000,
      'spring.cloud.discovery.simple.instances': { svc: [{ host: '127.0.0.1', port: 7001, metadata: { zone: 'eks', version: 'v2' } }] },
    }).clusters[0]!;
    expect(flat.callerZone).toBe('eks');
    expect(flat.config.zoneFailover.failedInstanceTtlMs).toBe(1_200_000); // a bare number is milliseconds, as in Spring
    expect(flat.config.connectTimeoutMs).toBe(30_000); // Reactor Netty's default
    expect(flat.config.retryPolicy).toMatchObject({ maxAttempts: 2, timeoutMs: undefined }); // retry is on by default in Spring
    expect(flat.config.endpoints[0]).toMatchObject({ zone: 'eks', metadata: { version: 'v2' } });
    expect(flat.origins['zone_failover.zone_order']).toEqual(['eurekube.zone-failover.preferred-zone']);
    const off = readSpringClusters({ ...INSTANCES, 'spring.cloud.loadbalancer.retry.enabled': false }).clusters[0]!.config;
    expect(off.retryPolicy?.maxAttempts).toBe(1);
  });

  it.each([
    [{ ...INSTANCES, eurekube: { 'zone-failover': { 'prefered-zone': 'eks' } } }, 'eurekube.zone-failover.prefered-zone: unknown key (expected one of preferred-zone, cache)'],
    [{ ...INSTANCES, 'spring.cloud.loadbalancer.retri.enabled': true }, /^spring\.cloud\.loadbalancer\.retri: unknown key/],
    [{ ...INSTANCES, 'spring.cloud.loadbalancer.retry.max-retries-on-same-service-instance': 1 }, /^spring\.cloud\.loadbalancer\.retry\.max-retries-on-same-service-instance: only 0 is supported/],
    [{ ...INSTANCES, 'spring.cloud.loadbalancer.health-check': { interval: '5s' } }, /^spring\.cloud\.loadbalancer\.health-check: Spring's health-check supplier is not implemented/],
    [{ ...INSTANCES, 'eurekube.webclient.timeout.connect-timeout': 'fast' }, 'eurekube.webclient.timeout.connect-timeout: expected a duration like "10s"'],
    [{ spring: { cloud: { discovery: { simple: { instances: { svc: [{ host: '127.0.0.1' }] } } } } } }, /^spring\.cloud\.discovery\.simple\.instances\.svc\[0\]\.port: /],
    [{ eurekube: {} }, /^spring\.cloud\.discovery\.simple\.instances: required/],
    [{ ...INSTANCES, 'eurekube.zone-failover.cache.ttl': '20m', eurekube: { 'zone-failover': { cache: { ttl: '10m' } } } }, /eurekube\.zone-failover\.cache\.ttl is given twice/],
  ])('refuses %j naming the property', (document, message) => {
    if (typeof message === 'string') expect(problem(document)).toBe(message);
    else expect(problem(document)).toMatch(message);
  });
});
