import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedEndpoint } from '../endpoint.js';
import { registerLbMetrics } from '../lifecycle/lb-metrics.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, tally } from '../testing/echo-servers.test.js';
import { createHttpBalancer } from '../http/http.balancer.js';
import { IdServer } from '../http/testing/http-servers.test.js';
import { capEndpoints, DEFAULT_MAX_ENDPOINTS, endpointOverflows, resetEndpointOverflows, setMaxEndpointsPerCluster } from './endpoint-cap.js';

const ep = (id: string, port: number): ResolvedEndpoint => ({ id, host: '127.0.0.1', port, zone: 'zone-a', metadata: {} });

afterEach(() => resetEndpointOverflows());

describe('capEndpoints', () => {
  it('passes a list within the cap through untouched', () => {
    const list = [ep('b', 2), ep('a', 1)];
    expect(capEndpoints(list, 'eureka:///CATALOG', 2)).toBe(list);
    expect(endpointOverflows()).toEqual([]);
  });

  it('keeps the same first N by id whatever the order, counts every cut update and logs once', () => {
    const lines: string[] = [];
    const list = Array.from({ length: 7 }, (_, i) => ep(`catalog-${i}`, 1000 + i));
    const kept1 = capEndpoints([...list].reverse(), 'eureka:///CATALOG', 3, (l) => lines.push(l));
    const kept2 = capEndpoints([list[4]!, list[0]!, list[6]!, list[2]!, list[1]!, list[5]!, list[3]!], 'eureka:///CATALOG', 3, (l) => lines.push(l));
    expect(kept1.map((e) => e.id)).toEqual(['catalog-0', 'catalog-1', 'catalog-2']);
    expect(kept2.map((e) => e.id)).toEqual(['catalog-0', 'catalog-1', 'catalog-2']);
    expect(endpointOverflows()).toMatchObject([{ cluster: 'eureka:///CATALOG', dropped: 4, truncatedUpdates: 2 }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/eureka:\/\/\/CATALOG resolved 7 endpoints, over the cap of 3 per cluster: keeping the first 3 by id, leaving out 4/);
    // An update that fits again clears the gauge, not the count.
    capEndpoints(list.slice(0, 2), 'eureka:///CATALOG', 3);
    expect(endpointOverflows()).toMatchObject([{ dropped: 0, truncatedUpdates: 2 }]);
  });

  it('has a generous default and refuses a bad cap', () => {
    expect(DEFAULT_MAX_ENDPOINTS).toBe(10_000);
    expect(() => setMaxEndpointsPerCluster(0)).toThrow('max_endpoints: expected a whole number >= 1, got 0');
  });
});

/** Real gRPC servers behind a real channel: beyond the cap, an endpoint gets no subchannel and no call. */
describe('a channel whose resolver lists more endpoints than the cap', () => {
  let servers: EchoServer[];
  let previous: number;

  beforeAll(async () => {
    setupZonemeshLb();
    servers = await Promise.all(['e1', 'e2', 'e3', 'e4'].map((id) => EchoServer.start(id)));
    previous = setMaxEndpointsPerCluster(2);
  });
  afterAll(() => {
    setMaxEndpointsPerCluster(previous);
    servers.forEach((s) => s.stop());
  });

  it('balances over the first two only, and says so in the metrics', async () => {
    const ids = servers.map((s) => s.id);
    const target = `static:///${servers.map((s) => s.address).join(',')}?ids=${[...ids].reverse().join(',')}`;
    const echo = echoClient(target, zonemeshChannelOptions({ cluster: 'capped', lbPolicy: 'round_robin' }));
    try {
      const counts = await tally(echo, 40);
      // The ids are given in reverse: the endpoints with ids e1 and e2 are the servers listed last (e4, e3).
      // Kept by id, not by list position: the first two listed (e1, e2) get no call.
      expect([...counts.keys()].sort()).toEqual(['e3', 'e4']);
      expect(servers.map((s) => s.calls)).toEqual([0, 0, expect.any(Number), expect.any(Number)]);
      expect(servers[2]!.calls + servers[3]!.calls).toBe(40);
      const registry = new Registry();
      registerLbMetrics(registry).stop();
      const text = await registry.metrics();
      expect(text).toMatch(/zonemesh_lb_endpoints_dropped\{cluster="static:\/\/\/[^"]+"\} 2/);
      expect(text).toMatch(/zonemesh_lb_endpoint_updates_truncated_total\{cluster="static:\/\/\/[^"]+"\} [1-9]/);
    } finally {
      echo.close();
    }
  });
});

describe('an HTTP balancer given more endpoints than the cap', () => {
  let servers: IdServer[];
  let previous: number;

  beforeAll(async () => {
    servers = await Promise.all(['h1', 'h2', 'h3'].map((id) => IdServer.start(id, 'zone-a')));
    previous = setMaxEndpointsPerCluster(2);
  });
  afterAll(async () => {
    setMaxEndpointsPerCluster(previous);
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('sends nothing to the endpoint beyond the cap', async () => {
    const lb = createHttpBalancer({ name: 'registry-client', zone: 'zone-a', endpoints: [...servers].reverse().map((s) => s.endpoint) });
    try {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i += 1) ids.add((await lb.request('/who')).body);
      expect([...ids].sort()).toEqual(['h1', 'h2']);
      expect(servers[2]!.hits).toBe(0);
      expect(lb.endpoints()).toHaveLength(2);
      expect(endpointOverflows()).toMatchObject([{ cluster: 'registry-client', dropped: 1 }]);
    } finally {
      await lb.close();
    }
  });
});
