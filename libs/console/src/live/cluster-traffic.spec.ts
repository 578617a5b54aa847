import { describe, expect, it } from 'vitest';
import { clusterTraffic } from './cluster-traffic.js';
import type { MeshSample, ViewEndpoint } from './mesh-sample.js';

const endpoint = (id: string, zone: string, picks: number, failed = 0): ViewEndpoint => ({
  id,
  zone,
  state: 'READY',
  health: 'healthy',
  serving: true,
  picks,
  succeeded: picks - failed,
  failed,
  inFlight: 0,
});

const sample = (t: number, callers: Record<string, ViewEndpoint[]>): MeshSample => ({
  t,
  views: Object.entries(callers).map(([caller, endpoints]) => ({ caller, clusters: [{ cluster: 'pricing', endpoints }] })),
  latency: new Map(),
  proxies: {},
  registries: {},
  processes: undefined,
});

describe('cluster traffic between two samples', () => {
  it('sums every caller of a cluster: calls/s, errors/s and the share of picks per zone and endpoint', () => {
    const before = sample(0, { 'catalog-zone-a-1': [endpoint('pricing-a', 'zone-a', 100), endpoint('pricing-b', 'zone-b', 0)], 'catalog-zone-b-1': [endpoint('pricing-b', 'zone-b', 50)] });
    const now = sample(2000, {
      'catalog-zone-a-1': [endpoint('pricing-a', 'zone-a', 130, 2), endpoint('pricing-b', 'zone-b', 10)],
      'catalog-zone-b-1': [endpoint('pricing-b', 'zone-b', 70)],
    });
    const [pricing] = clusterTraffic(now, before);
    expect(pricing!.callsPerSec).toBe(30);
    expect(pricing!.errorsPerSec).toBe(1);
    expect(pricing!.zoneShare).toEqual({ 'zone-a': 0.5, 'zone-b': 0.5 });
    expect(pricing!.endpointShare).toEqual({ 'pricing-a': 0.5, 'pricing-b': 0.5 });
  });

  it('reads a restarted caller (counters back at zero) as no calls, never negative ones', () => {
    const before = sample(0, { gw: [endpoint('c1', 'zone-a', 500)] });
    const now = sample(1000, { gw: [endpoint('c1', 'zone-a', 3)] });
    const [cluster] = clusterTraffic(now, before);
    expect(cluster!.callsPerSec).toBe(0);
    expect(cluster!.zoneShare).toEqual({});
  });

  it('reads a caller that did not answer last time as no calls, not as its lifetime counters', () => {
    const before = sample(0, { gw: [endpoint('c1', 'zone-a', 10)] });
    const now = sample(1000, { gw: [endpoint('c1', 'zone-a', 20)], 'catalog-zone-a-1': [endpoint('c1', 'zone-a', 90_000)] });
    expect(clusterTraffic(now, before)[0]!.callsPerSec).toBe(10);
  });

  it('has no rates on the first sample', () => {
    const [cluster] = clusterTraffic(sample(0, { gw: [endpoint('c1', 'zone-a', 500)] }), undefined);
    expect(cluster!.callsPerSec).toBe(0);
  });
});
