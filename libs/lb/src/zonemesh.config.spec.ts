import { describe, expect, it } from 'vitest';
import { ConfigError } from './config/index.js';
import { ZonemeshLoadBalancingConfig, zonemeshChannelOptions } from './zonemesh.config.js';

describe('ZonemeshLoadBalancingConfig', () => {
  it('parses the service config form and writes it back', () => {
    const config = ZonemeshLoadBalancingConfig.createFromJson({ zone: 'zone-a', lb_policy: 'random', cluster: 'catalog' });
    expect(config).toMatchObject({ zone: 'zone-a', lbPolicy: 'random', cluster: 'catalog' });
    expect(config.getLoadBalancerName()).toBe('zonemesh');
    expect(config.toJsonObject()).toEqual({ zonemesh: { zone: 'zone-a', lb_policy: 'random', cluster: 'catalog' } });
  });

  it('defaults to round robin with no zone preference', () => {
    expect(ZonemeshLoadBalancingConfig.createFromJson({})).toMatchObject({ zone: undefined, lbPolicy: 'round_robin', cluster: undefined });
  });

  it.each([
    [{ zone: 42 }, 'zonemesh.zone: expected a non-empty string, got 42'],
    [{ zone: '' }, 'zonemesh.zone: expected a non-empty string, got ""'],
    [{ lb_policy: 'least_request' }, 'zonemesh.lb_policy: expected one of round_robin, random, got "least_request"'],
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
    expect(JSON.parse(options['grpc.service_config'])).toEqual({ loadBalancingConfig: [{ zonemesh: { zone: 'zone-a', lb_policy: 'round_robin' } }] });
  });

  it('throws at once on options grpc-js would silently ignore', () => {
    expect(() => zonemeshChannelOptions({ zone: '' })).toThrow('zonemesh.zone');
    expect(() => zonemeshChannelOptions({ zone: 'zone-a', lbPolicy: 'rr' as never })).toThrow('zonemesh.lb_policy');
  });
});
