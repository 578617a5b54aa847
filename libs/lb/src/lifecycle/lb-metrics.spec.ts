import { Metadata, connectivityState, experimental } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeChannelHelper } from '../../bench/fake-channel.helper.js';
import { ManualLbClock, useLbClock } from '../lb-clock.js';
import { registerLbMetrics } from './lb-metrics.js';
import { ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE } from '../resolver/resolver-attributes.js';
import { ZonemeshLoadBalancingConfig } from '../policy/zonemesh.config.js';
import { ZonemeshLoadBalancer } from '../policy/zonemesh.balancer.js';

describe('registerLbMetrics: plain counters on the call path, published at scrape time', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('exports picks by zone, attempts by code and the duration histogram from the tallies', async () => {
    const clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, () => 0));
    const registry = new Registry();
    cleanups.push(registerLbMetrics(registry).stop);
    const helper = new FakeChannelHelper(connectivityState.READY);
    const balancer = new ZonemeshLoadBalancer(helper);
    cleanups.push(() => balancer.destroy());
    const config = ZonemeshLoadBalancingConfig.createFromJson({ zone: 'zone-a', cluster: 'metrics', outlier_detection: { enabled: false } });
    const infos = [{ id: 'e1', host: '10.0.0.9', port: 1, zone: 'zone-b', metadata: {} }];
    balancer.updateAddressList(experimental.statusOrFromValue([{ addresses: [{ host: '10.0.0.9', port: 1 }] }]), config, { [ENDPOINTS_ATTRIBUTE]: infos, [TARGET_ATTRIBUTE]: 'static:///m' }, '');

    const call = (code: number, ms: number) => {
      const result = helper.picker!.pick({ metadata: new Metadata(), extraPickInfo: {} });
      result.onCallStarted!();
      clock.advance(ms);
      result.onCallEnded!(code, code === 0 ? 'OK' : 'down', new Metadata());
    };
    call(0, 3);
    call(0, 30);
    call(14, 2_000);

    const text = await registry.metrics();
    expect(text).toContain('zonemesh_lb_picks_total{cluster="metrics",source_zone="zone-a",destination_zone="zone-b"} 3');
    expect(text).toContain('zonemesh_grpc_client_requests_total{cluster="metrics",code="OK"} 2');
    expect(text).toContain('zonemesh_grpc_client_requests_total{cluster="metrics",code="UNAVAILABLE"} 1');
    expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_bucket{cluster="metrics",le="0.005"} 1');
    expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_bucket{cluster="metrics",le="0.05"} 2');
    expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_bucket{cluster="metrics",le="2.5"} 3');
    expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_bucket{cluster="metrics",le="+Inf"} 3');
    expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_sum{cluster="metrics"} 2.033');
    expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_count{cluster="metrics"} 3');
    // Scraping twice does not double anything.
    expect(await registry.metrics()).toContain('zonemesh_grpc_client_requests_total{cluster="metrics",code="OK"} 2');
  });

  it('bounds the zone labels: 2,000 endpoints in made-up zones are one `other` series', async () => {
    const registry = new Registry();
    cleanups.push(registerLbMetrics(registry, { zones: ['zone-a', 'zone-b'] }).stop);
    const helper = new FakeChannelHelper(connectivityState.READY);
    const balancer = new ZonemeshLoadBalancer(helper);
    cleanups.push(() => balancer.destroy());
    const config = ZonemeshLoadBalancingConfig.createFromJson({ zone: 'zone-a', cluster: 'labels', outlier_detection: { enabled: false } });
    const infos = Array.from({ length: 2_000 }, (_, i) => ({ id: `e${i}`, host: '10.0.0.9', port: 1000 + i, zone: i === 0 ? 'zone-b' : `made-up-${i}`, metadata: {} }));
    balancer.updateAddressList(
      experimental.statusOrFromValue(infos.map((e) => ({ addresses: [{ host: e.host, port: e.port }] }))),
      config,
      { [ENDPOINTS_ATTRIBUTE]: infos, [TARGET_ATTRIBUTE]: 'static:///labels' },
      '',
    );
    for (let i = 0; i < 50; i++) {
      const result = helper.picker!.pick({ metadata: new Metadata(), extraPickInfo: {} });
      result.onCallStarted!();
      result.onCallEnded!(0, 'OK', new Metadata());
    }
    const text = await registry.metrics();
    const zonesIn = (metric: string, label: string) =>
      new Set(text.split('\n').filter((l) => l.startsWith(`${metric}{`)).map((l) => new RegExp(`${label}="([^"]*)"`).exec(l)?.[1]));
    expect([...zonesIn('zonemesh_lb_endpoints', 'zone')].sort()).toEqual(['other', 'zone-b']);
    for (const zone of zonesIn('zonemesh_lb_picks_total', 'destination_zone')) expect(['zone-a', 'zone-b', 'other']).toContain(zone);
  });
});
