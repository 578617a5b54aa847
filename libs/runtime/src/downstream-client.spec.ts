import { readFileSync, writeFileSync } from 'node:fs';
import { staticClustersEnv } from '@zonemesh/testing';
import { describe, expect, it } from 'vitest';
import { downstreamClient, downstreamClientToken, downstreamTarget } from './downstream-client.js';
import { loadServiceEnv } from './service-env.js';

const base = { ZONEMESH_SERVICE: 'catalog', ZONEMESH_ZONE: 'zone-b', ZONEMESH_PORT: '7101' };
const withRegistry = { ...base, ZONEMESH_REGISTRY_URLS: 'zone-b=http://127.0.0.1:8762/eureka' };

describe('downstreamTarget', () => {
  it('uses eureka:///<APP> when registries are configured and the file has no cluster for it', () => {
    expect(downstreamTarget('pricing', loadServiceEnv(withRegistry))).toBe('eureka:///PRICING');
  });

  it('takes a static cluster\'s endpoints and an eureka cluster\'s app from the clusters file', () => {
    const file = staticClustersEnv({ pricing: [{ address: '127.0.0.1:7201', zone: 'zone-b', metadata: { version: 'v2' } }] });
    writeFileSync(file.ZONEMESH_CLUSTERS_FILE, JSON.stringify({ clusters: [...JSON.parse(readFileSync(file.ZONEMESH_CLUSTERS_FILE, 'utf8')).clusters, { name: 'inventory', type: 'eureka', app: 'STOCK' }] }));
    const env = loadServiceEnv({ ...withRegistry, ...file });
    expect(downstreamTarget('pricing', env)).toBe('static:///127.0.0.1:7201?zones=zone-b&md.version=v2');
    expect(downstreamTarget('inventory', env)).toBe('eureka:///STOCK');
    expect(() => downstreamTarget('inventory', loadServiceEnv({ ...base, ...file }))).toThrow(
      `${file.ZONEMESH_CLUSTERS_FILE}: cluster "inventory" is type eureka (app STOCK): ZONEMESH_REGISTRY_URLS is required to find it`,
    );
  });

  it('names the file and the missing cluster when nothing says where a service runs', () => {
    expect(() => downstreamTarget('inventory', loadServiceEnv(base))).toThrow(
      'ZONEMESH_CLUSTERS_FILE: no cluster "inventory" in (unset) and no ZONEMESH_REGISTRY_URLS: nothing says where inventory runs',
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
