import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { setupZonemeshLb } from '../setup.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { EchoServer, echoClient, tally, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

describe('versioned subset routing (x-api-version -> metadata version)', () => {
  let a1: EchoServer, a2: EchoServer, b1: EchoServer, b2: EchoServer;
  const clients: EchoClient[] = [];

  beforeAll(async () => {
    setupZonemeshLb();
    [a1, a2, b1, b2] = await Promise.all(['a1-v1', 'a2-v2', 'b1-v1', 'b2-v2'].map((id) => EchoServer.start(id)));
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => [a1, a2, b1, b2].forEach((s) => s.stop()));

  function connect(name: string): EchoClient {
    const cluster = parseClusterConfig(
      {
        name,
        type: 'static',
        endpoints: [
          { address: a1.address, zone: 'zone-a', id: a1.id, metadata: { version: 'v1' } },
          { address: a2.address, zone: 'zone-a', id: a2.id, metadata: { version: 'v2' } },
          { address: b1.address, zone: 'zone-b', id: b1.id, metadata: { version: 'v1' } },
          { address: b2.address, zone: 'zone-b', id: b2.id, metadata: { version: 'v2' } },
        ],
        subset: { header: 'x-api-version', metadata_key: 'version', default: 'v1' },
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    clients.push(client);
    return client;
  }

  const ready = (name: string) =>
    waitFor(() => clusterSnapshots().find((c) => c.cluster === name)?.endpoints.every((e) => e.state === 'READY') ?? false, {
      what: `${name} READY`,
    });

  it('routes by header, uses the default without it, and prefers the caller zone inside the subset', async () => {
    const client = connect('subset');
    await client.who();
    await ready('subset');
    const v1 = new Set<string>();
    const v2 = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      v1.add(await client.who());
      v2.add(await client.who(3_000, { 'x-api-version': 'v2' }));
    }
    expect([...v1]).toEqual(['a1-v1']);
    expect([...v2]).toEqual(['a2-v2']);
    const snapshot = clusterSnapshots().find((c) => c.cluster === 'subset')!;
    expect(snapshot.plans.map((p) => [p.subset, p.tier])).toEqual([
      ['v1', 'local'],
      ['v2', 'local'],
    ]);
    expect(snapshot.endpoints.find((e) => e.id === 'b2-v2')).toMatchObject({ subset: 'v2', serving: false });
  });

  it('fails an unknown version with UNAVAILABLE naming it, instead of routing elsewhere', async () => {
    const client = connect('subset-missing');
    await client.who();
    await expect(client.who(3_000, { 'x-api-version': 'v3' })).rejects.toMatchObject({
      code: 14,
      details: expect.stringContaining('no endpoint for version=v3'),
    });
    const servedBefore = a1.calls + a2.calls + b1.calls + b2.calls;
    await expect(client.who(3_000, { 'x-api-version': 'v3' })).rejects.toMatchObject({ code: 14 });
    expect(a1.calls + a2.calls + b1.calls + b2.calls).toBe(servedBefore);
  });

  it('fails a version over to its other zone, leaving the other version in place', async () => {
    const client = connect('subset-failover');
    await client.who();
    await ready('subset-failover');
    a2.stop();
    try {
      await waitFor(async () => (await client.who(3_000, { 'x-api-version': 'v2' })) === 'b2-v2', { what: 'v2 served by zone-b' });
      const v2 = await tally({ ...client, who: () => client.who(3_000, { 'x-api-version': 'v2' }) }, 10);
      expect([...v2.keys()]).toEqual(['b2-v2']);
      const v1 = await tally(client, 10);
      expect([...v1.keys()]).toEqual(['a1-v1']);
      const plans = clusterSnapshots().find((c) => c.cluster === 'subset-failover')!.plans;
      expect(plans.find((p) => p.subset === 'v2')).toMatchObject({ tier: 'remote', spillShare: 1 });
    } finally {
      await a2.restart();
    }
  });
});
