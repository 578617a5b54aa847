import { Metadata, connectivityState, experimental } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeChannelHelper } from '../../bench/fake-channel.helper.js';
import { ManualLbClock, useLbClock } from '../lb-clock.js';
import { addLbLifecycle } from '../lifecycle/lb-lifecycle.js';
import { ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE } from '../resolver/resolver-attributes.js';
import { ZonemeshLoadBalancingConfig } from './zonemesh.config.js';
import { ZonemeshLoadBalancer } from './zonemesh.balancer.js';

const { PickResultType } = experimental;
const UNAVAILABLE = 14;

/** A zonemesh balancer over READY fake subchannels (no network), as grpc-js's own LB tests drive policies. */
function balancerOver(ids: string[], json: Record<string, unknown>) {
  const helper = new FakeChannelHelper(connectivityState.READY);
  const balancer = new ZonemeshLoadBalancer(helper);
  const endpoints = ids.map((_, i) => ({ addresses: [{ host: '10.0.0.1', port: 5000 + i }] }));
  const infos = ids.map((id, i) => ({ id, host: '10.0.0.1', port: 5000 + i, zone: 'zone-a', metadata: {} }));
  const config = ZonemeshLoadBalancingConfig.createFromJson({ zone: 'zone-a', cluster: `picker-${ids.join('-')}`, outlier_detection: { enabled: false }, ...json });
  balancer.updateAddressList(experimental.statusOrFromValue(endpoints), config, { [ENDPOINTS_ATTRIBUTE]: infos, [TARGET_ATTRIBUTE]: 'static:///x' }, '');
  expect(helper.state).toBe(connectivityState.READY);
  const pick = (metadata: Metadata) => helper.picker!.pick({ metadata, extraPickInfo: {} });
  return { balancer, pick, address: (r: experimental.PickResult) => r.subchannel?.getAddress() };
}

/** What grpc-js does for a retry: a clone of the call's metadata (same options object) with the attempt count. */
function retryOf(call: Metadata, previousAttempts: number): Metadata {
  const clone = call.clone();
  clone.set('grpc-previous-rpc-attempts', String(previousAttempts));
  return clone;
}

describe('ZonemeshPicker: the pick path', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('hands out the endpoint\'s cached result for a plain pick: no allocation, no per-call state', () => {
    cleanups.push(useLbClock(new ManualLbClock(), () => 0));
    const { balancer, pick } = balancerOver(['e1'], {});
    const first = pick(new Metadata());
    expect(first.pickResultType).toBe(PickResultType.COMPLETE);
    expect(pick(new Metadata())).toBe(first);
    // The shared hooks still count the call.
    first.onCallStarted!();
    expect(balancer.snapshot().endpoints[0]).toMatchObject({ picks: 2, inFlight: 1 });
    first.onCallEnded!(0, 'OK', new Metadata());
    expect(balancer.snapshot().endpoints[0]).toMatchObject({ inFlight: 0, succeeded: 1 });
    balancer.destroy();
  });

  it('builds a per-call result only when something needs it (lifecycle hooks)', () => {
    cleanups.push(useLbClock(new ManualLbClock(), () => 0));
    const { balancer, pick } = balancerOver(['e1'], {});
    const completions: number[] = [];
    cleanups.push(addLbLifecycle({ onComplete: (c) => completions.push(c.status.code) }));
    const a = pick(new Metadata());
    const b = pick(new Metadata());
    expect(a).not.toBe(b);
    a.onCallStarted!();
    a.onCallEnded!(0, 'OK', new Metadata());
    expect(completions).toEqual([0]);
    balancer.destroy();
  });

  it('records where a call has been only when an attempt fails, and steers its retry elsewhere', () => {
    const clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, () => 0));
    const { balancer, pick, address } = balancerOver(['e1', 'e2'], {
      lb_policy: 'random',
      retry_policy: { max_attempts: 3, base_interval: '10ms', max_interval: '100ms' },
    });
    // A successful call leaves nothing behind.
    const ok = pick(new Metadata());
    ok.onCallStarted!();
    expect(balancer.retryBudgetState()).toEqual({ activeCalls: 1, activeRetries: 0, waitingCalls: 0 });
    ok.onCallEnded!(0, 'OK', new Metadata());
    expect(balancer.retryBudgetState()).toEqual({ activeCalls: 0, activeRetries: 0, waitingCalls: 0 });

    // A failing one is remembered until its retry starts, and counts as active meanwhile.
    const call = new Metadata();
    const first = pick(call);
    expect(address(first)).toBe('10.0.0.1:5000'); // random pinned to 0
    first.onCallStarted!();
    first.onCallEnded!(UNAVAILABLE, 'down', new Metadata());
    expect(balancer.retryBudgetState()).toEqual({ activeCalls: 1, activeRetries: 0, waitingCalls: 1 });
    const retry = pick(retryOf(call, 1));
    expect(address(retry)).toBe('10.0.0.1:5001');
    retry.onCallStarted!();
    expect(balancer.retryBudgetState()).toEqual({ activeCalls: 1, activeRetries: 1, waitingCalls: 0 });
    retry.onCallEnded!(0, 'OK', new Metadata());
    expect(balancer.retryBudgetState()).toEqual({ activeCalls: 0, activeRetries: 0, waitingCalls: 0 });
    expect(balancer.snapshot().retries).toBe(1);
    balancer.destroy();
  });

  it('gives up a call whose retry never comes (deadline during the backoff), so the budget base does not drift', () => {
    const clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, () => 0));
    const { balancer, pick } = balancerOver(['e1', 'e2'], { retry_policy: { max_attempts: 3, base_interval: '10ms', max_interval: '100ms' } });
    const lost = pick(new Metadata());
    lost.onCallStarted!();
    lost.onCallEnded!(UNAVAILABLE, 'down', new Metadata());
    expect(balancer.retryBudgetState()!.activeCalls).toBe(1);
    clock.advance(5_000);
    const next = pick(new Metadata());
    next.onCallStarted!();
    next.onCallEnded!(UNAVAILABLE, 'down', new Metadata());
    // The lost call expired when the next failure was booked: only the new one is active.
    expect(balancer.retryBudgetState()).toEqual({ activeCalls: 1, activeRetries: 0, waitingCalls: 1 });
    balancer.destroy();
  });

  it('counts calls waiting out their backoff in the budget base: a zone-wide failure keeps its retries', () => {
    cleanups.push(useLbClock(new ManualLbClock(), () => 0));
    const { balancer, pick } = balancerOver(['e1', 'e2'], {
      lb_policy: 'random',
      retry_policy: { max_attempts: 3, base_interval: '10ms', budget_percent: 50, min_retry_concurrency: 3 },
    });
    // 20 calls fail their first attempt at once; then their retries start one after another.
    const calls = Array.from({ length: 20 }, () => new Metadata());
    for (const call of calls) {
      const first = pick(call);
      first.onCallStarted!();
      first.onCallEnded!(UNAVAILABLE, 'down', new Metadata());
    }
    let dropped = 0;
    for (const call of calls) {
      const retry = pick(retryOf(call, 1));
      if (retry.pickResultType === PickResultType.DROP) dropped += 1;
      else retry.onCallStarted!();
    }
    // 50% of 20 active calls: 10 retries may be in flight at once (counting only attempts in flight allowed 3).
    expect(dropped).toBe(10);
    expect(balancer.retryBudgetState()).toMatchObject({ activeCalls: 10, activeRetries: 10 });
    balancer.destroy();
  });
});
