import { Metadata, connectivityState, experimental } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeChannelHelper, type FakeSubchannel } from '../../bench/fake-channel.helper.js';
import { ManualLbClock, useLbClock } from '../lb-clock.js';
import { ZonemeshLoadBalancingConfig } from '../policy/zonemesh.config.js';
import { ZonemeshLoadBalancer } from '../policy/zonemesh.balancer.js';
import { ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE } from '../resolver/resolver-attributes.js';
import type { ResolvedEndpoint } from '../endpoint.js';
import { slowStartFactor } from './slow-start.js';

/** A deterministic random source (LCG), so shares are reproducible. */
function seeded(seed = 42): () => number {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

const endpoint = (id: string, zone: string, port: number): ResolvedEndpoint => ({ id, host: '10.0.0.1', port, zone, metadata: {} });

describe('slow start weight (Envoy: max(min_weight_percent, (t / window)^(1 / aggression)))', () => {
  it('ramps from min_weight_percent to 1 over the window, faster with a higher aggression', () => {
    const linear = { windowMs: 10_000, aggression: 1, minWeightPercent: 10 };
    expect(slowStartFactor(linear, 0, 0)).toBe(0.1);
    expect(slowStartFactor(linear, 0, 500)).toBe(0.1);
    expect(slowStartFactor(linear, 0, 5_000)).toBeCloseTo(0.5);
    expect(slowStartFactor(linear, 0, 9_990)).toBeCloseTo(0.999);
    expect(slowStartFactor(linear, 0, 10_000)).toBe(1);
    expect(slowStartFactor({ ...linear, aggression: 2 }, 0, 2_500)).toBeCloseTo(0.5);
    expect(slowStartFactor({ ...linear, aggression: 0.5 }, 0, 5_000)).toBeCloseTo(0.25);
    expect(slowStartFactor({ ...linear, minWeightPercent: 40 }, 0, 2_000)).toBe(0.4);
    expect(slowStartFactor(undefined, 0, 0)).toBe(1);
  });
});

describe('slow start in the zonemesh balancer (injected clock)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  function setup(lbPolicy: 'round_robin' | 'least_request', endpoints: ResolvedEndpoint[], slowStart = true) {
    const clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, seeded()));
    const helper = new FakeChannelHelper(connectivityState.READY);
    const balancer = new ZonemeshLoadBalancer(helper);
    cleanups.push(() => balancer.destroy());
    const config = ZonemeshLoadBalancingConfig.createFromJson({
      zone: 'zone-a',
      cluster: 'slow',
      lb_policy: lbPolicy,
      outlier_detection: { enabled: false },
      zone_failover: { failed_instance_ttl: '0s' },
      ...(slowStart ? { slow_start_config: { slow_start_window: '10s' } } : {}),
    });
    const update = (list: ResolvedEndpoint[]) =>
      balancer.updateAddressList(
        experimental.statusOrFromValue(list.map((e) => ({ addresses: [{ host: e.host, port: e.port }] }))),
        config,
        { [ENDPOINTS_ATTRIBUTE]: list, [TARGET_ATTRIBUTE]: 'static:///slow' },
        '',
      );
    update(endpoints);
    const subchannel = (port: number) => helper.subchannels.filter((s) => s.getAddress().endsWith(`:${port}`)) as FakeSubchannel[];
    /** Share of `n` picks per port, starting and ending every attempt. */
    const shares = (n = 4_000): Map<number, number> => {
      const counts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const result = helper.picker!.pick({ metadata: new Metadata(), extraPickInfo: {} });
        expect(result.pickResultType).toBe(experimental.PickResultType.COMPLETE);
        const port = Number(result.subchannel!.getAddress().split(':').pop());
        counts.set(port, (counts.get(port) ?? 0) + 1);
      }
      return new Map([...counts].map(([port, c]) => [port, c / n]));
    };
    return { clock, helper, balancer, update, subchannel, shares };
  }

  const zoneA = (shares: Map<number, number>) => (shares.get(1) ?? 0) + (shares.get(2) ?? 0);

  it('failback: the returning zone takes its share back over the window (min weight / healthy_threshold first), not at once', () => {
    const { clock, helper, subchannel, shares, balancer } = setup('round_robin', [endpoint('a1', 'zone-a', 1), endpoint('a2', 'zone-a', 2), endpoint('b1', 'zone-b', 3), endpoint('b2', 'zone-b', 4)]);
    // The first endpoint list does not ramp: zone-a serves everything from the start.
    expect(zoneA(shares())).toBe(1);

    // Zone-a dies: its reconnects (new fake subchannels) stay CONNECTING.
    helper.initial = connectivityState.CONNECTING;
    for (const port of [1, 2]) for (const s of subchannel(port)) s.setState(connectivityState.TRANSIENT_FAILURE);
    clock.advance(6_000); // past connect_timeout (5s): zone-a counts as failed, zone-b takes everything
    expect(zoneA(shares())).toBe(0);

    clock.advance(1_000);
    for (const port of [1, 2]) for (const s of subchannel(port)) s.setState(connectivityState.READY);
    // Weight 0.1 each: zone-a's health is 0.1 / 0.72, the rest spills to zone-b.
    expect(zoneA(shares())).toBeCloseTo(0.1 / 0.72, 1);
    expect(balancer.snapshot().spillShare).toBeCloseTo(1 - 0.1 / 0.72, 2);
    expect(balancer.snapshot().endpoints.map((e) => [e.id, e.slowStartWeight])).toEqual([['a1', 0.1], ['a2', 0.1], ['b1', 1], ['b2', 1]]);

    clock.advance(5_000); // the balancer rebuilt its picker in steps on the way
    expect(zoneA(shares())).toBeCloseTo(0.5 / 0.72, 1);

    clock.advance(2_500); // factor 0.75 >= healthy_threshold 0.72: all local again
    expect(zoneA(shares())).toBe(1);
    clock.advance(10_000);
    expect(zoneA(shares())).toBe(1);
  });

  it('without slow_start_config the returning zone takes all its traffic back in one step', () => {
    const { clock, helper, subchannel, shares } = setup('round_robin', [endpoint('a1', 'zone-a', 1), endpoint('a2', 'zone-a', 2), endpoint('b1', 'zone-b', 3)], false);
    helper.initial = connectivityState.CONNECTING;
    for (const port of [1, 2]) for (const s of subchannel(port)) s.setState(connectivityState.TRANSIENT_FAILURE);
    clock.advance(6_000);
    expect(zoneA(shares())).toBe(0);
    clock.advance(1_000);
    for (const port of [1, 2]) for (const s of subchannel(port)) s.setState(connectivityState.READY);
    expect(zoneA(shares())).toBe(1);
  });

  it.each(['round_robin', 'least_request'] as const)('%s: a new endpoint starts at min_weight_percent beside its zone peers and reaches an equal share at the end of the window', (policy) => {
    const list = [endpoint('a1', 'zone-a', 1), endpoint('a2', 'zone-a', 2), endpoint('a3', 'zone-a', 3), endpoint('a4', 'zone-a', 4)];
    const { clock, update, shares } = setup(policy, list);
    expect(shares().get(4)).toBeCloseTo(0.25, 1);
    const added = [...list, endpoint('a5', 'zone-a', 5)];
    update(added);
    // 0.1 against 1 + 1 + 1 + 1: about 2.4% of the picks.
    const early = shares().get(5) ?? 0;
    expect(early).toBeGreaterThan(0.01);
    expect(early).toBeLessThan(0.05);
    clock.advance(5_000);
    const middle = shares().get(5)!;
    expect(middle).toBeGreaterThan(early);
    expect(middle).toBeLessThan(0.2);
    clock.advance(5_000);
    expect(shares().get(5)).toBeCloseTo(0.2, 1);
  });
});
