import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningRegistry, startRegistryServer } from './registry-server.js';
import { waitFor } from './testing/wait-for.js';

/** The subset of eureka-js-client we drive (it ships no types). */
interface EurekaJsClient {
  start(callback: (error?: Error | null) => void): void;
  stop(callback: (error?: Error | null) => void): void;
  renew(): void;
  on(event: string, listener: () => void): void;
  getInstancesByAppId(app: string): Array<{ instanceId: string }>;
}
const require = createRequire(import.meta.url);
const { Eureka } = require('eureka-js-client') as { Eureka: new (config: unknown) => EurekaJsClient };

const ignore = (): void => undefined;
const silent = { debug: ignore, info: ignore, warn: ignore, error: ignore };
let registry: RunningRegistry | undefined;
afterEach(async () => registry?.close());

function call(fn: (cb: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((error) => (error ? reject(error) : resolve())));
}

describe('eureka-js-client against our registry', () => {
  it('registers, heartbeats, fetches the registry and deregisters', async () => {
    registry = await startRegistryServer({ port: 0 });
    const base = registry.url;
    const client = new Eureka({
      logger: silent,
      instance: {
        app: 'jqservice',
        hostName: 'localhost',
        ipAddr: '127.0.0.1',
        port: { $: 8080, '@enabled': 'true' },
        vipAddress: 'jq.test.something.com',
        dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      },
      eureka: {
        host: '127.0.0.1',
        port: registry.port,
        servicePath: '/eureka/v2/apps/',
        heartbeatInterval: 60_000,
        registryFetchInterval: 60_000,
        maxRetries: 0,
      },
    });
    await call((cb) => client.start(cb));
    expect(registry.store.instance('JQSERVICE', 'localhost')?.status).toBe('UP');
    // The client's own full fetch parsed our JSON into its cache.
    expect(client.getInstancesByAppId('JQSERVICE').map((i) => i.instanceId)).toEqual(['localhost']);

    let heartbeats = 0;
    client.on('heartbeat', () => heartbeats++);
    client.renew();
    await waitFor(() => heartbeats === 1, { what: 'heartbeat' });

    // A lost lease makes the client's next heartbeat re-register (404 -> POST).
    registry.store.cancel('JQSERVICE', 'localhost');
    let reregistered = false;
    client.on('registered', () => (reregistered = true));
    client.renew();
    await waitFor(() => reregistered, { what: 're-registration' });
    expect(registry.store.instance('JQSERVICE', 'localhost')).toBeDefined();

    await call((cb) => client.stop(cb));
    expect(registry.store.instance('JQSERVICE', 'localhost')).toBeUndefined();
    expect((await fetch(`${base}/v2/apps/JQSERVICE`)).status).toBe(404);
  });
});
