import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@zonemesh/testing';
import { springRegisterBody } from './spring-register-body.js';
import { type RegistryProcess as RegistryChild, ensureRegistryBuilt, spawnRegistry } from '@zonemesh/testing';
import { waitFor } from '@zonemesh/testing';

// Real `node dist/main.js` processes peering over loopback, killed with SIGKILL.
const children: RegistryChild[] = [];
beforeAll(() => ensureRegistryBuilt(), 120_000);
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

async function spawn(zone: string, port: number, peerPorts: number[]): Promise<RegistryChild> {
  const child = await spawnRegistry([
    '--zone', zone, '--port', String(port), '--profile', 'fast',
    ...peerPorts.flatMap((p) => ['--peer', `http://127.0.0.1:${p}/eureka`]),
  ]);
  children.push(child);
  return child;
}

async function clientIds(url: string): Promise<string[]> {
  const response = await fetch(`${url}/apps`, { headers: { accept: 'application/json' } });
  if (response.status !== 200) return [];
  const body = (await response.json()) as { applications: { application: Array<{ instance: Array<{ instanceId: string }> }> } };
  return body.applications.application.flatMap((a) => a.instance.map((i) => i.instanceId)).sort();
}

describe('registry processes replicating across zones', () => {
  it('holds the full registry again right after a kill -9 and restart of one zone\'s registry', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    let a = await spawn('zone-a', portA, [portB]);
    const b = await spawn('zone-b', portB, [portA]);
    await Promise.all([a.synced, b.synced]);
    const all = ['a-1', 'a-2', 'a-3', 'b-1', 'b-2'];
    for (const id of all) {
      const target = id.startsWith('a') ? a : b;
      const response = await fetch(`${target.url}/apps/MYAPP`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(springRegisterBody({ instanceId: id })),
      });
      expect(response.status).toBe(204);
    }
    await waitFor(async () => (await clientIds(a.url)).join() === all.join() && (await clientIds(b.url)).join() === all.join(), {
      what: 'both zones listing all five instances',
    });

    await a.kill();
    expect(await clientIds(b.url)).toEqual(all);
    a = await spawn('zone-a', portA, [portB]);
    const synced = await a.synced;
    expect(synced).toMatchObject({ instances: 5, peer: b.url });
    expect(await clientIds(a.url)).toEqual(all);
  });
});
