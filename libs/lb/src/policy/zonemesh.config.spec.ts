import { describe, expect, it } from 'vitest';
import { ConfigError } from '@zonemesh/config';
import { ZonemeshLoadBalancingConfig, zonemeshChannelOptions } from './zonemesh.config.js';
import { parseClustersConfig } from '../cluster/cluster-config.parse.js';

describe('ZonemeshLoadBalancingConfig', () => {
  it('parses the service config form and writes it back', () => {
    const config = ZonemeshLoadBalancingConfig.createFromJson({ zone: 'zone-a', lb_policy: 'random', cluster: 'catalog' });
    expect(config).toMatchObject({ zone: 'zone-a', lbPolicy: 'random', cluster: 'catalog' });
    expect(config.getLoadBalancerName()).toBe('zonemesh');
    const json = config.toJsonObject() as { zonemesh: Record<string, unknown> };
    expect(json.zonemesh).toMatchObject({ zone: 'zone-a', lb_policy: 'random', cluster: 'catalog', connect_timeout: '5s' });
    // Written with every default, and read back to the same settings.
    expect(ZonemeshLoadBalancingConfig.createFromJson(json.zonemesh)).toEqual(config);
  });

  it('defaults to round robin with no zone preference', () => {
    expect(ZonemeshLoadBalancingConfig.createFromJson({})).toMatchObject({ zone: undefined, lbPolicy: 'round_robin', cluster: undefined });
  });

  it.each([
    [{ zone: 42 }, 'zonemesh.zone: expected a non-empty string, got 42'],
    [{ zone: '' }, 'zonemesh.zone: expected a non-empty string, got ""'],
    [{ lb_policy: 'least_requests' }, 'zonemesh.lb_policy: expected one of round_robin, random, least_request, weighted, peak_ewma, got "least_requests"'],
    [{ outlier_detection: { interval: 10 } }, 'zonemesh.outlier_detection.interval: expected a duration like "10s"'],
    [{ zone_failover: { healthy_threshold: 72 } }, 'zonemesh.zone_failover.healthy_threshold: must be between 0 and 1, got 72'],
    [{ cluster: ['x'] }, 'zonemesh.cluster: expected a non-empty string, got a list'],
    [{ zonee: 'zone-a' }, 'zonemesh.zonee: unknown key'],
    ['zone-a', 'zonemesh: expected a map'],
  ])('names the field in parse errors: %j', (json, message) => {
    expect(() => ZonemeshLoadBalancingConfig.createFromJson(json)).toThrow(message);
    expect(() => ZonemeshLoadBalancingConfig.createFromJson(json)).toThrow(ConfigError);
  });
});

describe('zonemeshChannelOptions', () => {
  it('selects the zonemesh policy through the service config', () => {
    const options = zonemeshChannelOptions({ zone: 'zone-a' });
    const serviceConfig = JSON.parse(options['grpc.service_config']);
    expect(Object.keys(serviceConfig)).toEqual(['loadBalancingConfig']);
    expect(serviceConfig.loadBalancingConfig).toHaveLength(1);
    expect(serviceConfig.loadBalancingConfig[0].zonemesh).toMatchObject({ zone: 'zone-a', lb_policy: 'round_robin' });
  });

  it('caps the reconnect backoff (max_reconnect_backoff, 5 s by default) and at the health-check interval, so failback is not a backoff residue', () => {
    // grpc-js's own cap is 120 s: after a long outage recovery would go unnoticed for minutes.
    expect(zonemeshChannelOptions({ zone: 'zone-a' })['grpc.max_reconnect_backoff_ms']).toBe(5000);
    const capped = parseClustersConfig({ clusters: [{ name: 'c', type: 'static', endpoints: [{ address: '127.0.0.1:1' }], max_reconnect_backoff: '3s' }] })[0]!;
    expect(zonemeshChannelOptions({ zone: 'zone-a', cluster: capped })['grpc.max_reconnect_backoff_ms']).toBe(3000);
    const checked = (interval: string) =>
      parseClustersConfig({ clusters: [{ name: 'c', type: 'static', endpoints: [{ address: '127.0.0.1:1' }], health_checks: [{ grpc_health_check: {}, interval, timeout: '500ms' }] }] })[0]!;
    expect(zonemeshChannelOptions({ zone: 'zone-a', cluster: checked('2s') })['grpc.max_reconnect_backoff_ms']).toBe(2000);
    // Never below grpc-js's initial backoff (1 s): a 250 ms check interval must not make connects spin.
    expect(zonemeshChannelOptions({ zone: 'zone-a', cluster: checked('250ms') })['grpc.max_reconnect_backoff_ms']).toBe(1000);
  });

  it('throws at once on options grpc-js would silently ignore', () => {
    expect(() => zonemeshChannelOptions({ zone: '' })).toThrow('zonemesh.zone');
    expect(() => zonemeshChannelOptions({ zone: 'zone-a', lbPolicy: 'rr' as never })).toThrow('zonemesh.lb_policy');
  });
});
