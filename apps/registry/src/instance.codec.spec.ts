import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { InstanceValidationError, decodeRegistration, encodeApplications } from './instance.codec.js';
import { registryTimings } from './registry-profile.js';
import { RegistryStore } from './registry.store.js';
import { springRegisterBody } from './spring-register-body.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./testing/fixtures/${name}`, import.meta.url), 'utf8').trim();

const TIMESTAMPS = new Set([
  'registrationTimestamp',
  'lastRenewalTimestamp',
  'serviceUpTimestamp',
  'lastUpdatedTimestamp',
  'lastDirtyTimestamp',
]);

/** Replaces timestamp values by their JSON type, keeping key order, so shapes compare exactly. */
function withoutTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimestamps);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, TIMESTAMPS.has(k) ? `<${typeof v}>` : withoutTimestamps(v)]),
  );
}

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

function storeAt(clock: ManualClock): RegistryStore {
  return new RegistryStore({ clock, ...registryTimings('fast') });
}

describe('instance codec (Jackson JSON shape)', () => {
  it('encodes an empty registry byte for byte like Spring Cloud Eureka', () => {
    const json = JSON.stringify(encodeApplications(storeAt(new ManualClock()).applications()));
    expect(json).toBe(fixture('empty-apps.json'));
  });

  it('encodes one registered instance with the fixture field order, types and values (timestamps aside)', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const store = storeAt(clock);
    store.register(decodeRegistration(springRegisterBody(), 'myapp', clock.now()));
    clock.advance(120_000);
    expect(store.renew('MYAPP', 'h1:myapp:8080').code).toBe(200);

    const ours = encodeApplications(store.applications());
    const expected = JSON.parse(fixture('apps-one-instance.json'));
    expect(keyPaths(ours)).toEqual(keyPaths(expected));
    expect(JSON.stringify(withoutTimestamps(ours))).toBe(JSON.stringify(withoutTimestamps(expected)));
    const lease = (ours as { applications: { application: Array<{ instance: Array<{ leaseInfo: unknown }> }> } })
      .applications.application[0].instance[0].leaseInfo;
    expect(lease).toMatchObject({ registrationTimestamp: 1_700_000_000_000, lastRenewalTimestamp: 1_700_000_120_000 });
  });

  it('accepts the body eureka-js-client sends and derives the instance id from hostName', () => {
    const body = JSON.parse(fixture('register-eureka-js-client.json'));
    const instance = decodeRegistration(body, 'JQSERVICE', 1);
    expect(instance).toMatchObject({ instanceId: 'localhost', app: 'JQSERVICE', port: { port: 8080, enabled: true } });
  });

  it('is lenient: plain numeric port, boolean @enabled, lower-case overriddenstatus, missing @class', () => {
    const instance = decodeRegistration(
      springRegisterBody({
        port: '9090',
        securePort: { $: '8443', '@enabled': true },
        overriddenStatus: undefined,
        overriddenstatus: 'OUT_OF_SERVICE',
        dataCenterInfo: { name: 'MyOwn' },
        metadata: { zone: 'zone-a', weight: 3 },
        leaseInfo: { durationInSecs: '0' },
        unknownField: { whatever: true },
      }),
      'MYAPP',
      1,
    );
    expect(instance.port).toEqual({ port: 9090, enabled: true });
    expect(instance.securePort).toEqual({ port: 8443, enabled: true });
    expect(instance.overriddenStatus).toBe('OUT_OF_SERVICE');
    expect(instance.dataCenterInfo.className).toBe('com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo');
    expect(instance.metadata).toEqual({ zone: 'zone-a', weight: '3' });
    expect(instance.leaseInfo.durationInSecs).toBe(90);
  });

  it.each([
    [{ instanceId: undefined, hostName: undefined }, 'Missing instanceId'],
    [{ hostName: '' }, 'Missing hostname'],
    [{ ipAddr: undefined }, 'Missing ip address'],
    [{ app: undefined }, 'Missing appName'],
    [{ app: 'OTHER' }, 'Mismatched appName, expecting MYAPP but was OTHER'],
    [{ dataCenterInfo: undefined }, 'Missing dataCenterInfo'],
    [{ dataCenterInfo: { '@class': 'x' } }, 'Missing dataCenterInfo Name'],
  ])('rejects %j with "%s"', (overrides, message) => {
    const decode = () => decodeRegistration(springRegisterBody(overrides), 'myapp', 1);
    expect(decode).toThrow(InstanceValidationError);
    expect(decode).toThrow(message);
  });
});
