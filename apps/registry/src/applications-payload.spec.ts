import { describe, expect, it } from 'vitest';
import { ApplicationsPayload } from './applications-payload.js';
import { ManualClock } from './clock.js';
import { decodeRegistration, encodeApplication, encodeApplications } from './instance.codec.js';
import { InstanceFragments } from './instance-fragments.js';
import { registryTimings } from './registry-profile.js';
import { RegistryStore } from './registry.store.js';
import { springRegisterBody } from './spring-register-body.js';
import { encodeXml } from './xml.codec.js';

/** A store whose instance versions are encoded as they are stored, as the server wires it. */
function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const fragments = new InstanceFragments();
  const store = new RegistryStore({ ...registryTimings('fast'), clock, onInstanceChanged: (i) => fragments.of(i, 'json') });
  const register = (app: string, id: string, extra: Record<string, unknown> = {}) =>
    store.register(decodeRegistration(springRegisterBody({ instanceId: id, app, ...extra }), app, clock.now()));
  return { clock, store, fragments, register, payload: new ApplicationsPayload(fragments) };
}

describe('ApplicationsPayload (fragments concatenated)', () => {
  it('is byte for byte the tree encoders\' JSON and XML for full fetch, delta and one application, with live renewal times', () => {
    const { clock, store, register, payload } = setup();
    register('ALPHA', 'a-1', { metadata: { zone: 'zone-a', note: 'quotes " and <tags> & \\\\ backslash' } });
    register('ALPHA', 'a-2', { sid: '7', asgName: 'asg-1', metadata: { zone: 'zone-b' } });
    register('BETA', 'b-1', { status: 'DOWN', dataCenterInfo: { name: 'Amazon', metadata: { 'instance-id': 'i-9' } } });
    store.setStatusOverride('ALPHA', 'a-2', 'OUT_OF_SERVICE');
    register('GAMMA', 'g-1');
    store.cancel('GAMMA', 'g-1');
    clock.advance(5_000);
    expect(store.renew('ALPHA', 'a-1').code).toBe(200);

    for (const view of [store.applications(), store.deltas()]) {
      expect(payload.applications(view, 'json').finish().toString()).toBe(JSON.stringify(encodeApplications(view)));
      expect(payload.applications(view, 'xml').finish().toString()).toBe(encodeXml(encodeApplications(view)));
    }
    const alpha = store.application('ALPHA')!;
    expect(payload.singleApplication(alpha, 'json').finish().toString()).toBe(JSON.stringify({ application: encodeApplication(alpha) }));
    expect(payload.singleApplication(alpha, 'xml').finish().toString()).toBe(encodeXml({ application: encodeApplication(alpha) }));
    // The renewal moved the timestamp without a new version: the payload shows the live value.
    expect(payload.applications(store.applications(), 'json').finish().toString()).toContain(`"lastRenewalTimestamp":${clock.now()}`);
  });

  it('encodes each stored instance version once, however many payloads list it, and the empty registry as Eureka does', () => {
    const { store, fragments, register, payload } = setup();
    expect(payload.applications(store.applications(), 'json').finish().toString()).toBe(
      '{"applications":{"versions__delta":"1","apps__hashcode":"","application":[]}}',
    );
    register('ALPHA', 'a-1');
    register('ALPHA', 'a-2');
    expect(fragments.encodings).toBe(2);
    for (let i = 0; i < 3; i++) {
      payload.applications(store.applications(), 'json');
      payload.applications(store.deltas(), 'json');
    }
    expect(fragments.encodings).toBe(2);
    store.setStatusOverride('ALPHA', 'a-1', 'DOWN');
    payload.applications(store.applications(), 'json');
    expect(fragments.encodings).toBe(3);
    // XML is encoded on its first read, then kept.
    payload.applications(store.applications(), 'xml');
    payload.applications(store.applications(), 'xml');
    expect(fragments.encodings).toBe(5);
  });
});
