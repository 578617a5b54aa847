import { describe, expect, it } from 'vitest';
import { ConfigError } from '@zonemesh/config';
import { createHttpBalancer } from './http.balancer.js';
import { HTTP_POLICY_DEFAULTS, parseHttpBalancerPolicy } from './http-policy.config.js';

function errorOf(value: unknown, path = 'eureka'): string {
  try {
    parseHttpBalancerPolicy(value, path);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseHttpBalancerPolicy', () => {
  it("defaults to the seed's settings: 5 s connect/read, 20 min failed-instance TTL, 3 attempts", () => {
    const policy = parseHttpBalancerPolicy(undefined);
    expect(policy).toBe(HTTP_POLICY_DEFAULTS);
    expect(policy).toMatchObject({ connectTimeoutMs: 5000, readTimeoutMs: 5000, retry: { maxAttempts: 3 } });
    expect(policy.zoneFailover.failedInstanceTtlMs).toBe(1_200_000);
  });

  it('reads every key', () => {
    const policy = parseHttpBalancerPolicy({
      lb_policy: 'least_request',
      connect_timeout: '250ms',
      read_timeout: '2s',
      zone_failover: { zone_order: ['zone-b'], healthy_threshold: 0.5, failed_instance_ttl: '10s' },
      retry: { max_attempts: 2, retry_on: ['connect_failure', '5xx'] },
    });
    expect(policy).toEqual({
      lbPolicy: 'least_request',
      connectTimeoutMs: 250,
      readTimeoutMs: 2000,
      zoneFailover: { zoneOrder: ['zone-b'], healthyThreshold: 0.5, panicThreshold: 0.5, failedInstanceTtlMs: 10_000 },
      retry: { maxAttempts: 2, retryOn: ['connect_failure', '5xx'] },
    });
  });

  it('names the path of every error', () => {
    expect(errorOf({ read_timeout: '5' })).toBe('eureka.read_timeout: expected a duration like "10s"');
    expect(errorOf({ connect_timeout: '0ms' })).toBe('eureka.connect_timeout: must be longer than 0ms');
    expect(errorOf({ zone_failover: { failed_instance_ttl: 20 } })).toBe('eureka.zone_failover.failed_instance_ttl: expected a duration like "10s"');
    expect(errorOf({ zone_failover: { panic_threshold: 0.5 } })).toMatch(/^eureka\.zone_failover\.panic_threshold: unknown key/);
    expect(errorOf({ retry: { retry_on: ['connect_failure', '4xx'] } })).toMatch(/^eureka\.retry\.retry_on\[1\]: expected one of connect_failure, reset, timeout, 5xx/);
    expect(errorOf({ retry: { max_attempts: 0 } })).toBe('eureka.retry.max_attempts: must be between 1 and 10, got 0');
    expect(errorOf({ lb_policy: 'peak_ewma' })).toMatch(/^eureka\.lb_policy: expected one of round_robin, random, least_request/);
    expect(errorOf({ retries: 3 })).toMatch(/^eureka\.retries: unknown key/);
  });

  it('is validated when a balancer is created, under policyPath', () => {
    expect(() => createHttpBalancer({ endpoints: [], policy: { read_timeout: 'soon' } })).toThrow('policy.read_timeout: expected a duration like "10s"');
  });
});
