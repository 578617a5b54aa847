import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { decodeRegistration } from './instance.codec.js';
import { registryTimings } from './registry-profile.js';
import { RegistryStore } from './registry.store.js';
import { springRegisterBody } from './spring-register-body.js';

/** What a walk over every stored instance counts: the kept counts must always equal it. */
function recount(store: RegistryStore): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const application of store.applications().applications) {
    for (const instance of application.instances) {
      const key = `${instance.app}/${instance.metadata.zone ?? 'none'}/${instance.status}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

const kept = (store: RegistryStore): Record<string, number> =>
  Object.fromEntries(store.instanceCounts().map((c) => [`${c.app}/${c.zone}/${c.status}`, c.count]));

describe('instance counts kept by the store (metrics)', () => {
  it('follow registrations, status and metadata changes, re-registrations, cancellations and evictions', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const store = new RegistryStore({ ...registryTimings('fast'), clock });
    const register = (app: string, id: string, extra: Record<string, unknown> = {}) =>
      store.register(decodeRegistration(springRegisterBody({ instanceId: id, app, leaseInfo: { durationInSecs: 10 }, ...extra }), app, clock.now()));
    register('A', 'a1', { metadata: { zone: 'zone-a' } });
    register('A', 'a2', { metadata: { zone: 'zone-b' } });
    register('B', 'b1');
    register('B', 'b2', { status: 'STARTING' });
    expect(kept(store)).toEqual(recount(store));
    store.setStatusOverride('A', 'a1', 'OUT_OF_SERVICE');
    store.updateMetadata('A', 'a2', { zone: 'zone-c' });
    register('B', 'b2', { status: 'UP' });
    store.cancel('B', 'b1');
    expect(kept(store)).toEqual(recount(store));
    expect(kept(store)).toEqual({ 'A/zone-a/OUT_OF_SERVICE': 1, 'A/zone-c/UP': 1, 'B/none/UP': 1 });
    store.removeStatusOverride('A', 'a1', 'UP');
    clock.advance(5_000);
    store.renew('A', 'a1');
    clock.advance(6_000);
    expect(store.evict().map((i) => i.instanceId).sort()).toEqual(['a2', 'b2']);
    expect(kept(store)).toEqual(recount(store));
    expect(kept(store)).toEqual({ 'A/zone-a/UP': 1 });
  });
});
