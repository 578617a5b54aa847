import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { decodeRegistration } from './instance.codec.js';
import type { InstanceInfo } from './instance-info.js';
import { type RegistryProfileName, registryTimings } from './registry-profile.js';
import { RegistryStore, type RegistryStoreOptions } from './registry.store.js';
import { springRegisterBody } from './spring-register-body.js';

function setup(profile: RegistryProfileName, overrides: Partial<RegistryStoreOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const store = new RegistryStore({ ...registryTimings(profile), clock, ...overrides });
  const instance = (id: string, extra: Record<string, unknown> = {}): InstanceInfo =>
    decodeRegistration(
      springRegisterBody({ instanceId: id, leaseInfo: { durationInSecs: 10 }, ...extra }),
      'MYAPP',
      clock.now(),
    );
  return { clock, store, instance };
}

const ids = (store: RegistryStore): string[] =>
  store.applications().applications.flatMap((a) => a.instances.map((i) => i.instanceId));

describe('RegistryStore leases', () => {
  it('evicts a never-renewed lease once its own duration has passed, not before', () => {
    const { clock, store, instance } = setup('fast');
    store.register(instance('a'));
    clock.advance(10_000);
    expect(store.evict()).toEqual([]);
    clock.advance(1);
    expect(store.evict().map((i) => i.instanceId)).toEqual(['a']);
    expect(store.application('MYAPP')).toBeUndefined();
  });

  it('keeps a renewed lease alive and (fast profile) expires it one duration after the last renewal', () => {
    const { clock, store, instance } = setup('fast');
    store.register(instance('a'));
    clock.advance(8_000);
    expect(store.renew('myapp', 'a').code).toBe(200);
    clock.advance(8_000);
    expect(store.evict()).toEqual([]);
    clock.advance(2_001);
    expect(store.evict()).toHaveLength(1);
  });

  it('reproduces Eureka\'s 2x-duration expiry of renewed leases in the eureka profile', () => {
    const { clock, store, instance } = setup('eureka', { selfPreservation: false, capEvictionPerRun: false });
    store.register(instance('a'));
    store.renew('MYAPP', 'a');
    clock.advance(15_000);
    expect(store.evict()).toEqual([]);
    clock.advance(5_001);
    expect(store.evict()).toHaveLength(1);
  });

  it('self-preservation: evicts nothing while last-minute renewals are at or below 85% of expected', () => {
    const { clock, store, instance } = setup('eureka', { capEvictionPerRun: false });
    for (const id of ['a', 'b', 'c', 'd']) store.register(instance(id));
    // Only 'a' heartbeats: 2 renewals in the minute, threshold floor(4 * 2 * 0.85) = 6.
    for (let t = 0; t < 4; t++) {
      clock.advance(30_000);
      store.renew('MYAPP', 'a');
    }
    const state = store.selfPreservationState();
    expect(state).toMatchObject({ enabled: true, renewsThreshold: 6, renewsLastMin: 2, leaseExpirationEnabled: false });
    expect(store.evict()).toEqual([]);
    expect(ids(store)).toHaveLength(4);
  });

  it('caps one eviction run at 15% of the registry in the eureka profile', () => {
    const { clock, store, instance } = setup('eureka', { selfPreservation: false });
    for (let i = 0; i < 10; i++) store.register(instance(`i${i}`));
    clock.advance(11_000);
    expect(store.evict()).toHaveLength(2); // 10 - floor(10 * 0.85)
    expect(store.size()).toBe(8);
  });

  it('evicts the leases a capped run spared at the next runs, and a re-registration by its new, shorter duration', () => {
    const { clock, store, instance } = setup('eureka', { selfPreservation: false });
    for (let i = 0; i < 10; i++) store.register(instance(`i${i}`));
    clock.advance(11_000);
    const evicted = [store.evict(), store.evict(), store.evict()].map((run) => run.length);
    expect(evicted).toEqual([2, 2, 1]); // size - floor(size x 0.85) of 10, 8, then 6
    expect(store.size()).toBe(5);

    const fast = setup('fast');
    fast.store.register(fast.instance('a', { leaseInfo: { durationInSecs: 60 } }));
    fast.store.register(fast.instance('a', { leaseInfo: { durationInSecs: 5 } }));
    fast.store.register(fast.instance('gone'));
    fast.store.cancel('MYAPP', 'gone');
    fast.clock.advance(5_001);
    expect(fast.store.evict().map((i) => i.instanceId)).toEqual(['a']);
    fast.clock.advance(60_000);
    expect(fast.store.evict()).toEqual([]);
  });

  it('answers heartbeats for unknown instances with 404 and removes cancelled ones', () => {
    const { store, instance } = setup('fast');
    expect(store.renew('MYAPP', 'nope').code).toBe(404);
    store.register(instance('a'));
    expect(store.cancel('MYAPP', 'a')).toBe(true);
    expect(store.cancel('MYAPP', 'a')).toBe(false);
    expect(store.renew('MYAPP', 'a').code).toBe(404);
  });

  it('compares lastDirtyTimestamp on heartbeat: newer sender 404, older sender 200 (client) or 409 (replication)', () => {
    const { store, instance } = setup('fast');
    store.register(instance('a', { lastDirtyTimestamp: 5_000 }));
    expect(store.renew('MYAPP', 'a', { lastDirtyTimestamp: 6_000 }).code).toBe(404);
    expect(store.renew('MYAPP', 'a', { lastDirtyTimestamp: 4_000 }).code).toBe(200);
    const replicated = store.renew('MYAPP', 'a', { lastDirtyTimestamp: 4_000 }, true);
    expect(replicated.code).toBe(409);
  });
});

describe('RegistryStore status and delta', () => {
  it('computes apps__hashcode over the whole registry, sorted by status', () => {
    const { store, instance } = setup('fast');
    expect(store.hashcode()).toBe('');
    store.register(instance('a'));
    store.register(instance('b'));
    store.register(instance('c', { status: 'DOWN' }));
    expect(store.hashcode()).toBe('DOWN_1_UP_2_');
  });

  it('keeps an override across re-registration until it is removed; removal forces a re-register', () => {
    const { store, instance } = setup('fast');
    store.register(instance('a'));
    expect(store.setStatusOverride('MYAPP', 'a', 'OUT_OF_SERVICE')).toBe(true);
    store.register(instance('a', { lastDirtyTimestamp: '1800000000000' }));
    expect(store.instance('MYAPP', 'a')?.status).toBe('OUT_OF_SERVICE');
    expect(store.removeStatusOverride('MYAPP', 'a')).toBe(true);
    expect(store.renew('MYAPP', 'a').code).toBe(404);
  });

  it('lets DOWN from the instance win over an existing UP lease', () => {
    const { store, instance } = setup('fast');
    store.register(instance('a'));
    store.register(instance('a', { status: 'DOWN', lastDirtyTimestamp: '1800000000000' }));
    expect(store.instance('MYAPP', 'a')?.status).toBe('DOWN');
  });

  it('lists registrations and cancellations in the delta with growing versions, renewals excluded', () => {
    const { clock, store, instance } = setup('fast');
    store.register(instance('a'));
    store.register(instance('b'));
    const v1 = store.deltas().versionsDelta;
    store.renew('MYAPP', 'a');
    expect(store.deltas().versionsDelta).toBe(v1);
    store.cancel('MYAPP', 'b');
    const delta = store.deltas();
    expect(delta.versionsDelta).toBeGreaterThan(v1);
    expect(delta.appsHashcode).toBe('UP_1_');
    expect(delta.applications[0].instances.map((i) => [i.instanceId, i.actionType])).toEqual([
      ['a', 'ADDED'],
      ['b', 'DELETED'],
    ]);
    clock.advance(180_999); // entries leave at the first whole second past the 3-minute window
    expect(store.deltas().applications).toHaveLength(1);
    clock.advance(1);
    expect(store.deltas().applications).toEqual([]);
  });

  it('names the delta\'s content with a tag that moves on a recorded change and when changes leave the window, not on renewals', () => {
    const { clock, store, instance } = setup('fast');
    store.register(instance('a'));
    const tag = store.deltaTag();
    store.renew('MYAPP', 'a');
    expect(store.deltaTag()).toBe(tag);
    clock.advance(60_000);
    store.register(instance('b'));
    const withB = store.deltaTag();
    expect(withB).not.toBe(tag);
    clock.advance(120_500);
    expect(store.deltaTag()).toBe(withB); // past the window by less than a second: a stays until the next whole second
    clock.advance(500); // a's entry leaves the 3-minute window, b's stays
    expect(store.deltaTag()).not.toBe(withB);
    expect(store.deltas().applications[0].instances.map((i) => i.instanceId)).toEqual(['b']);
  });

  it('keeps the apps hashcode equal to a recount through every kind of status change', () => {
    const { store, instance } = setup('fast');
    const recount = (): string => {
      const counts = new Map<string, number>();
      for (const app of store.applications().applications) for (const i of app.instances) counts.set(i.status, (counts.get(i.status) ?? 0) + 1);
      return [...counts.keys()].sort().map((status) => `${status}_${counts.get(status)}_`).join('');
    };
    const steps: Array<() => unknown> = [
      () => store.register(instance('a')),
      () => store.register(instance('b', { status: 'STARTING' })),
      () => store.register(instance('b', { status: 'UP', lastDirtyTimestamp: '1800000000000' })),
      () => store.setStatusOverride('MYAPP', 'a', 'OUT_OF_SERVICE'),
      () => store.removeStatusOverride('MYAPP', 'a', 'UP'),
      () => store.updateMetadata('MYAPP', 'b', { k: 'v' }),
      () => store.register(instance('c', { status: 'DOWN' })),
      () => store.cancel('MYAPP', 'a'),
      () => store.cancel('MYAPP', 'b'),
    ];
    for (const step of steps) {
      step();
      expect(store.hashcode()).toBe(recount());
    }
    expect(store.hashcode()).toBe('DOWN_1_');
    expect(store.size()).toBe(1);
  });
});
