import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectivityState } from '@grpc/grpc-js';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { addLbLifecycle, type LbCallStatus, type LbCallTarget, type LbRequest } from '../lifecycle/lb-lifecycle.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { setupZonemeshLb } from '../setup.js';
import { zonemeshChannelOptions } from './zonemesh.config.js';
import { EchoServer, echoClient, tally, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

describe('zonemesh LB policy against real grpc-js servers', () => {
  let a1: EchoServer, a2: EchoServer, b1: EchoServer, b2: EchoServer;
  const clients: EchoClient[] = [];

  beforeAll(async () => {
    setupZonemeshLb();
    [a1, a2, b1, b2] = await Promise.all(['a1', 'a2', 'b1', 'b2'].map((id) => EchoServer.start(id)));
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => [a1, a2, b1, b2].forEach((s) => s.stop()));

  const fourServersTarget = () =>
    `static:///${[a1, a2, b1, b2].map((s) => s.address).join(',')}?zones=zone-a,zone-a,zone-b,zone-b&ids=a1,a2,b1,b2`;

  function connect(target: string, options: Parameters<typeof zonemeshChannelOptions>[0]): EchoClient {
    const client = echoClient(target, zonemeshChannelOptions(options));
    clients.push(client);
    return client;
  }

  async function allEndpointsReady(cluster: string): Promise<void> {
    await waitFor(
      () => {
        const snapshot = clusterSnapshots().find((c) => c.cluster === cluster);
        return !!snapshot && snapshot.endpoints.length > 0 && snapshot.endpoints.every((e) => e.state === 'READY');
      },
      { what: `every endpoint of ${cluster} READY` },
    );
  }

  it('is the policy picking: calls spread over both endpoints, where pick_first would use one', async () => {
    const target = `static:///${a1.address},${a2.address}?ids=a1,a2`;
    const ours = connect(target, { cluster: 'spread' });
    await ours.who(); // leaves IDLE; the policy connects every endpoint
    await allEndpointsReady('spread');
    const counts = await tally(ours, 200);
    expect(counts.get('a1')).toBeGreaterThanOrEqual(80);
    expect(counts.get('a2')).toBeGreaterThanOrEqual(80);
    const snapshot = clusterSnapshots().find((c) => c.cluster === 'spread')!;
    expect(snapshot.lbPolicy).toBe('round_robin');
    expect(snapshot.target).toBe(target);
    expect(snapshot.endpoints.reduce((sum, e) => sum + e.succeeded, 0)).toBe(201);

    // Control: a misspelled policy falls back to pick_first, which this test would catch.
    const typo = echoClient(target, { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ zonemsh: {} }] }) });
    clients.push(typo);
    const typoCounts = await tally(typo, 20);
    expect(typoCounts.size).toBe(1);
  });

  it('sends every call to the caller zone, spread evenly over its endpoints', async () => {
    const client = connect(fourServersTarget(), { zone: 'zone-a', cluster: 'prefer' });
    await client.who();
    await allEndpointsReady('prefer');
    const counts = await tally(client, 200);
    expect([...counts.keys()].sort()).toEqual(['a1', 'a2']);
    expect(counts.get('a1')).toBeGreaterThanOrEqual(80);
    expect(counts.get('a2')).toBeGreaterThanOrEqual(80);
    const snapshot = clusterSnapshots().find((c) => c.cluster === 'prefer')!;
    expect(snapshot.tier).toBe('local');
    expect(snapshot.zone).toBe('zone-a');
    expect(snapshot.state).toBe('READY');
    const byId = Object.fromEntries(snapshot.endpoints.map((e) => [e.id, e]));
    expect(byId.b1).toMatchObject({ zone: 'zone-b', local: false, picks: 0, state: 'READY' });
    expect(byId.a1).toMatchObject({ zone: 'zone-a', local: true, inFlight: 0 });
  });

  it('fails over to the other zone when the caller zone dies, and fails back when it returns (short failed-instance TTL)', async () => {
    const cluster = parseClusterConfig(
      { name: 'failover', type: 'static', endpoints: [{ address: '127.0.0.1:1' }], zone_failover: { failed_instance_ttl: '300ms' } },
      'cluster',
    );
    const client = connect(fourServersTarget(), { zone: 'zone-a', cluster });
    await client.who();
    await allEndpointsReady('failover');
    expect(await client.who()).toMatch(/^a/);

    a1.stop();
    a2.stop();
    await waitFor(async () => (await client.who()).startsWith('b'), { what: 'a call served by zone-b' });
    const during = await tally(client, 40);
    expect([...during.keys()].sort()).toEqual(['b1', 'b2']);
    expect(clusterSnapshots().find((c) => c.cluster === 'failover')!.tier).toBe('remote');

    await a1.restart();
    await a2.restart();
    await waitFor(async () => (await client.who()).startsWith('a'), { timeoutMs: 15_000, what: 'a call served by zone-a again' });
    await allEndpointsReady('failover');
    const after = await tally(client, 40);
    expect([...after.keys()].sort()).toEqual(['a1', 'a2']);
  });

  it('balances over every zone when the caller has no zone, with random picks too', async () => {
    const client = connect(fourServersTarget(), { lbPolicy: 'random', cluster: 'nozone' });
    await client.who();
    await allEndpointsReady('nozone');
    const counts = await tally(client, 200);
    expect([...counts.keys()].sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('reports TRANSIENT_FAILURE and fails calls with UNAVAILABLE when no endpoint is reachable', async () => {
    const dead = await EchoServer.start('dead');
    dead.stop();
    const client = connect(`static:///${dead.address}`, { cluster: 'dead' });
    await expect(client.who(2_000)).rejects.toMatchObject({ code: 14 });
    expect(client.client.getChannel().getConnectivityState(false)).toBe(connectivityState.TRANSIENT_FAILURE);
    expect(clusterSnapshots().find((c) => c.cluster === 'dead')!.state).toBe('TRANSIENT_FAILURE');
  });

  it('tells lifecycle hooks which endpoint served each call and how it ended, despite a throwing hook', async () => {
    const started: LbCallTarget[] = [];
    const completed: Array<[LbCallTarget, LbCallStatus]> = [];
    const requests: LbRequest[] = [];
    const removeThrowing = addLbLifecycle({
      onStartRequest: () => {
        throw new Error('a broken hook');
      },
    });
    const remove = addLbLifecycle({
      onStart: (request) => requests.push(request),
      onStartRequest: (_request, target) => started.push(target),
      onComplete: ({ target, status, durationMs }) => {
        expect(durationMs).toBeGreaterThanOrEqual(0);
        completed.push([target, status]);
      },
    });
    try {
      const client = connect(`static:///${a1.address}?zones=zone-a&ids=a1`, { zone: 'zone-a', cluster: 'hooks' });
      expect(await client.who()).toBe('a1');
      expect(await client.who()).toBe('a1');
      expect(started.map((t) => [t.cluster, t.endpoint.id, t.endpoint.zone, t.local])).toEqual([
        ['hooks', 'a1', 'zone-a', true],
        ['hooks', 'a1', 'zone-a', true],
      ]);
      expect(requests.map((r) => [r.cluster, r.sourceZone, r.attempt])).toEqual([
        ['hooks', 'zone-a', 1],
        ['hooks', 'zone-a', 1],
      ]);
      expect(completed.map(([t, s]) => [t.endpoint.id, s.code])).toEqual([
        ['a1', 0],
        ['a1', 0],
      ]);
    } finally {
      remove();
      removeThrowing();
    }
    const client = connect(`static:///${a1.address}`, { cluster: 'hooks-removed' });
    await client.who();
    expect(started).toHaveLength(2);
  });

  it('forgets a channel once it is closed', async () => {
    const client = connect(`static:///${a1.address}`, { cluster: 'closing' });
    await waitFor(async () => (await client.who()) === 'a1', { what: 'a1 up' });
    expect(clusterSnapshots().some((c) => c.cluster === 'closing')).toBe(true);
    client.close();
    expect(clusterSnapshots().some((c) => c.cluster === 'closing')).toBe(false);
  });
});
