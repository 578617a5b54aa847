import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EurekaRegistration, type RegistrationEvent } from './eureka-registration.js';
import { freePort } from '@zonemesh/testing';
import { type RegistryProcess, ensureRegistryBuilt, startRegistryProcess } from '@zonemesh/testing';
import { waitFor } from '@zonemesh/testing';

// The seed's story with real, peered registry processes: kill -9 zone-a's
// registry, keep renewing through zone-b, lose nothing, come home after a session.
const processes: RegistryProcess[] = [];
beforeAll(() => ensureRegistryBuilt(), 120_000);
afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
});

async function start(zone: string, port: number, peerPort: number): Promise<RegistryProcess> {
  const registry = await startRegistryProcess(zone, port, ['--peer', `http://127.0.0.1:${peerPort}/eureka`]);
  processes.push(registry);
  return registry;
}

async function ids(url: string, app: string): Promise<string[]> {
  const response = await fetch(`${url}/apps/${app}`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) return [];
  const body = (await response.json()) as { application: { instance: Array<{ instanceId: string }> } };
  return body.application.instance.map((i) => i.instanceId).sort();
}

describe('zone failover of a registered service', () => {
  it('renews through zone-b while zone-a\'s registry is dead, loses nothing, and returns to zone-a after its session', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    let zoneA = await start('zone-a', portA, portB);
    const zoneB = await start('zone-b', portB, portA);
    const registries = [{ zone: 'zone-a', url: zoneA.url }, { zone: 'zone-b', url: zoneB.url }];
    const events: RegistrationEvent[] = [];
    const services = ['svc-zone-a-1', 'svc-zone-a-2', 'svc-zone-b-1'].map(
      (instanceId) =>
        new EurekaRegistration({
          app: 'svc',
          instanceId,
          host: '127.0.0.1',
          port: 7000,
          zone: instanceId.includes('zone-a') ? 'zone-a' : 'zone-b',
          registries,
          renewalIntervalMs: 200,
          leaseDurationSecs: 1,
          // A dead registry refuses at once; the timeout only has to outlast a
          // registry that is alive but starved on a busy CI machine.
          requestTimeoutMs: 2_000,
          sessionDurationMs: 4_000,
          sessionJitter: 0,
          onEvent: (event) => events.push(event),
        }),
    );
    try {
      await Promise.all(services.map((s) => s.start()));
      expect(services.map((s) => s.registry?.zone)).toEqual(['zone-a', 'zone-a', 'zone-b']);
      const all = ['svc-zone-a-1', 'svc-zone-a-2', 'svc-zone-b-1'];
      await waitFor(async () => (await ids(zoneA.url, 'SVC')).join() === all.join() && (await ids(zoneB.url, 'SVC')).join() === all.join(), {
        what: 'both registries listing all three',
      });

      await zoneA.kill();
      await waitFor(() => services[0].registry?.zone === 'zone-b' && services[1].registry?.zone === 'zone-b', {
        what: 'zone-a services renewing through zone-b',
      });
      // Longer than lease (1 s) + eviction interval (2 s): nothing may disappear from zone-b.
      const until = Date.now() + 3_500;
      while (Date.now() < until) {
        expect(await ids(zoneB.url, 'SVC')).toEqual(all);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }

      zoneA = await start('zone-a', portA, portB);
      await waitFor(async () => (await ids(zoneA.url, 'SVC')).join() === all.join(), {
        timeoutMs: 5_000,
        what: 'restarted zone-a registry holding the full registry',
      });
      await waitFor(() => services[0].registry?.zone === 'zone-a' && services[1].registry?.zone === 'zone-a', {
        timeoutMs: 15_000,
        what: 'zone-a services back home after their session',
      });
      expect(services[0].transport.sessionsEnded).toBeGreaterThanOrEqual(1);
      expect(services[2].registry?.zone).toBe('zone-b');
      expect(events.some((e) => e.kind === 'renewing' && e.registry.zone === 'zone-b')).toBe(true);
      expect(await ids(zoneB.url, 'SVC')).toEqual(all);
    } finally {
      await Promise.all(services.map((s) => s.stop()));
    }
  });
});
