import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedEndpoint } from '../endpoint.js';
import { registerEndpointScheme, type EndpointListener, type EndpointSource } from './endpoint-source.js';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { setupZonemeshLb } from '../setup.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { sourceTargetOf } from './zonemesh.resolver.js';
import { EchoServer, echoClient, tally, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

/** A source the test drives by hand, like a discovery client would. */
class ManualSource implements EndpointSource {
  listener: EndpointListener | null = null;
  refreshes = 0;
  stops = 0;
  constructor(readonly path: string) {}
  start(listener: EndpointListener): void {
    this.listener = listener;
  }
  refresh(): void {
    this.refreshes += 1;
  }
  stop(): void {
    this.stops += 1;
    this.listener = null;
  }
  push(endpoints: ResolvedEndpoint[]): void {
    this.listener!({ endpoints });
  }
  fail(message: string): void {
    this.listener!({ error: new Error(message) });
  }
}

function endpointOf(server: EchoServer, zone = 'zone-a'): ResolvedEndpoint {
  return { id: server.id, host: '127.0.0.1', port: server.port, zone, metadata: { version: 'v1' } };
}

describe('zonemesh resolver', () => {
  const sources: ManualSource[] = [];
  const clients: EchoClient[] = [];
  let s1: EchoServer, s2: EchoServer;

  beforeAll(async () => {
    setupZonemeshLb();
    // Registered after setup on purpose: the resolver must still be installed.
    registerEndpointScheme('manual', (target) => {
      const source = new ManualSource(target.path);
      sources.push(source);
      return source;
    });
    [s1, s2] = await Promise.all([EchoServer.start('s1'), EchoServer.start('s2')]);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    sources.splice(0);
  });
  afterAll(() => [s1, s2].forEach((s) => s.stop()));

  function connect(target: string, cluster: string): EchoClient {
    const client = echoClient(target, zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    clients.push(client);
    return client;
  }

  async function startedSource(client: EchoClient): Promise<ManualSource> {
    client.client.getChannel().getConnectivityState(true); // leaves IDLE: starts resolution
    await waitFor(() => sources.at(-1)?.listener != null, { what: 'the source to start' });
    return sources.at(-1)!;
  }

  it('passes the target path and query to the source', () => {
    expect(sourceTargetOf({ scheme: 'eureka', authority: '', path: 'CATALOG?zone=a' })).toMatchObject({ path: 'CATALOG' });
    expect(sourceTargetOf({ scheme: 'eureka', authority: '', path: 'CATALOG?zone=a' }).query.get('zone')).toBe('a');
  });

  it('adds and removes endpoints live as the source pushes new lists', async () => {
    const client = connect('manual:///CATALOG', 'live');
    const source = await startedSource(client);
    expect(source.path).toBe('CATALOG');

    source.push([endpointOf(s1)]);
    expect(new Set((await tally(client, 10)).keys())).toEqual(new Set(['s1']));

    source.push([endpointOf(s1), endpointOf(s2)]);
    await waitFor(async () => (await client.who()) === 's2', { what: 's2 to take traffic' });
    expect(new Set((await tally(client, 20)).keys())).toEqual(new Set(['s1', 's2']));
    const snapshot = clusterSnapshots().find((c) => c.cluster === 'live')!;
    expect(snapshot.target).toBe('manual:///CATALOG');
    expect(snapshot.endpoints.find((e) => e.id === 's2')).toMatchObject({ zone: 'zone-a', metadata: { version: 'v1' } });

    source.push([endpointOf(s2)]);
    // Calls already picked may still finish on s1; new ones must not go there.
    await waitFor(() => clusterSnapshots().find((c) => c.cluster === 'live')!.endpoints.length === 1, { what: 's1 removed' });
    expect(new Set((await tally(client, 10)).keys())).toEqual(new Set(['s2']));
  });

  it('applies a new zone for a known address (same connection, new preference)', async () => {
    const client = connect('manual:///CATALOG', 'rezone');
    const source = await startedSource(client);
    source.push([endpointOf(s1, 'zone-a'), endpointOf(s2, 'zone-b')]);
    await waitFor(() => clusterSnapshots().find((c) => c.cluster === 'rezone')?.endpoints.every((e) => e.state === 'READY') ?? false, {
      what: 'both READY',
    });
    expect(new Set((await tally(client, 10)).keys())).toEqual(new Set(['s1']));
    source.push([endpointOf(s1, 'zone-b'), endpointOf(s2, 'zone-a')]);
    await waitFor(async () => (await client.who()) === 's2', { what: 's2 preferred' });
    expect(new Set((await tally(client, 10)).keys())).toEqual(new Set(['s2']));
  });

  it('fails calls with UNAVAILABLE while the source has only errors, and keeps the last list after one', async () => {
    const client = connect('manual:///CATALOG', 'errors');
    const source = await startedSource(client);
    source.fail('registry unreachable');
    await expect(client.who()).rejects.toMatchObject({ code: 14, details: expect.stringContaining('registry unreachable') });

    source.push([endpointOf(s1)]);
    await waitFor(async () => (await client.who()) === 's1', { what: 'recovery after the first list' });
    source.fail('registry unreachable again');
    expect(new Set((await tally(client, 10)).keys())).toEqual(new Set(['s1']));
  });

  it('asks the source to refresh when a connection drops, and stops it when the channel closes', async () => {
    const doomed = await EchoServer.start('doomed');
    const client = connect('manual:///CATALOG', 'refresh');
    const source = await startedSource(client);
    source.push([endpointOf(doomed), endpointOf(s1)]);
    await waitFor(() => clusterSnapshots().find((c) => c.cluster === 'refresh')?.endpoints.every((e) => e.state === 'READY') ?? false, {
      what: 'both READY',
    });
    const before = source.refreshes;
    doomed.stop();
    await waitFor(() => source.refreshes > before, { what: 'a refresh request' });
    client.close();
    expect(source.stops).toBe(1);
  });

  it('fails the channel construction for a malformed static target', () => {
    expect(() => connect('static:///127.0.0.1', 'bad')).toThrow(/invalid static target .*missing port/);
  });

  it('serves static targets with zones and ids', async () => {
    const client = connect(`static:///${s1.address},${s2.address}?zones=zone-b,zone-a&ids=one,two`, 'static');
    expect(await client.who()).toBeDefined();
    await waitFor(() => clusterSnapshots().find((c) => c.cluster === 'static')?.endpoints.every((e) => e.state === 'READY') ?? false, {
      what: 'both READY',
    });
    expect(new Set((await tally(client, 10)).keys())).toEqual(new Set(['s2']));
    const ids = clusterSnapshots()
      .find((c) => c.cluster === 'static')!
      .endpoints.map((e) => `${e.id}@${e.zone}`)
      .sort();
    expect(ids).toEqual(['one@zone-b', 'two@zone-a']);
  });
});
