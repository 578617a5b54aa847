import { describe, expect, it } from 'vitest';
import { downstreamClient, downstreamClientToken, downstreamTarget } from './downstream-client.js';
import { loadServiceEnv } from './service-env.js';

const base = { ZONEMESH_SERVICE: 'catalog', ZONEMESH_ZONE: 'zone-b', ZONEMESH_PORT: '7101' };
const withRegistry = { ...base, ZONEMESH_REGISTRY_URLS: 'zone-b=http://127.0.0.1:8762/eureka' };

describe('downstreamTarget', () => {
  it('uses eureka:///<APP> when registries are configured', () => {
    expect(downstreamTarget('pricing', loadServiceEnv(withRegistry))).toBe('eureka:///PRICING');
  });

  it('prefers an explicit ZONEMESH_UPSTREAM_<SERVICE>', () => {
    const env = loadServiceEnv({ ...withRegistry, ZONEMESH_UPSTREAM_PRICING: 'static:///127.0.0.1:7201' });
    expect(downstreamTarget('pricing', env)).toBe('static:///127.0.0.1:7201');
    expect(downstreamTarget('inventory', env)).toBe('eureka:///INVENTORY');
  });

  it('names the missing variable when there is neither', () => {
    expect(() => downstreamTarget('inventory', loadServiceEnv(base))).toThrow(
      'ZONEMESH_UPSTREAM_INVENTORY: required when ZONEMESH_REGISTRY_URLS is empty',
    );
  });
});

describe('downstreamClient', () => {
  it('gives Nest gRPC client options selecting the zonemesh policy for our zone', () => {
    const client = downstreamClient({ service: 'pricing', env: loadServiceEnv(withRegistry) });
    expect(client.name).toBe(downstreamClientToken('pricing'));
    const options = (client as { options: Record<string, unknown> }).options;
    expect(options).toMatchObject({ url: 'eureka:///PRICING', package: 'zonemesh.pricing.v1' });
    const serviceConfig = JSON.parse((options.channelOptions as Record<string, string>)['grpc.service_config']);
    expect(serviceConfig.loadBalancingConfig[0]).toEqual({ zonemesh: expect.objectContaining({ zone: 'zone-b' }) });
  });
});
