import { createServer, type Socket } from 'node:net';
import { waitFor } from '@zonemesh/testing';
import { describe, expect, it } from 'vitest';
import { useProxyFixture } from '../testing/proxy-fixture.js';
import type { TestClient } from '../testing/tcp-harness.js';

// The pass-through fast path (link.ts): a direction without toxics forwards
// socket to socket; toxics added to or removed from a live connection switch
// it over. Observed through GET /metrics, as an operator would.

const fx = useProxyFixture('pass');

async function freshProxyAndClient(): Promise<TestClient> {
  await fx.freshProxy();
  return fx.connect();
}

async function metric(name: string, direction: 'upstream' | 'downstream'): Promise<number> {
  const text = await (await fetch(`${fx.server.url}/metrics`)).text();
  // The registry's default labels (service, zone, ...) follow these two.
  const series = `${name}{proxy="${fx.proxy.name}",direction="${direction}"`;
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function passThrough(): Promise<{ upstream: number; downstream: number }> {
  return {
    upstream: await metric('zonemesh_toxiproxy_pass_through_links', 'upstream'),
    downstream: await metric('zonemesh_toxiproxy_pass_through_links', 'downstream'),
  };
}

async function waitPassThrough(expected: { upstream: number; downstream: number }): Promise<void> {
  await waitFor(async () => JSON.stringify(await passThrough()) === JSON.stringify(expected), {
    timeoutMs: 10_000,
    what: `pass-through links ${JSON.stringify(expected)}`,
  });
}

function addToxic(name: string, type: string, stream: 'upstream' | 'downstream', attributes: Record<string, number> = {}) {
  // toxiproxy-node-client's type list lacks `noop`, which the server has.
  return fx.proxy.addToxic({ name, type: type as never, stream, toxicity: 1, attributes });
}

/** `size` bytes of consecutive 32-bit counters: a lost, repeated or moved byte shows. */
function numbered(size: number): Buffer {
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) payload.writeUInt32BE(i / 4, i);
  return payload;
}

function sendAll(client: TestClient, data: Buffer): void {
  for (let i = 0; i < data.length; i += 64 * 1024) client.send(data.subarray(i, i + 64 * 1024));
}

describe('pass-through fast path', () => {
  it('forwards a connection without toxics socket to socket; a toxic takes only its own direction off the fast path', async () => {
    const client = await freshProxyAndClient();
    await client.roundTrip('hello');
    await waitPassThrough({ upstream: 1, downstream: 1 });

    const noop = await addToxic('noop_up', 'noop', 'upstream');
    await waitPassThrough({ upstream: 0, downstream: 1 });
    await client.roundTrip('through the chain');
    await noop.remove();
    await waitPassThrough({ upstream: 1, downstream: 1 });
    await client.roundTrip('back');
    expect(client.received.toString()).toBe('hellothrough the chainback');
  });

  it('switches a live connection to the toxics and back: the toxic takes effect, and every byte arrives once and in order', async () => {
    const client = await freshProxyAndClient();
    const payload = numbered(12 * 1024 * 1024);
    // Part 2 stays below what a link holds before pausing its source, so all of it sits in the toxic.
    const parts = [4, 4.5, 12].map((mib) => mib * 1024 * 1024);

    // Part 1 on the fast path.
    sendAll(client, payload.subarray(0, parts[0]));
    await client.receive(parts[0]!, 30_000);
    await waitPassThrough({ upstream: 1, downstream: 1 });

    // Part 2 through toxics added to the open connection: downstream holds
    // everything for 60 s, so none of it may reach the client while the toxic is there.
    const held = await addToxic('hold', 'latency', 'downstream', { latency: 60_000, jitter: 0 });
    const noop = await addToxic('noop_up', 'noop', 'upstream');
    await waitPassThrough({ upstream: 0, downstream: 0 });
    sendAll(client, payload.subarray(parts[0], parts[1]));
    await waitFor(async () => (await metric('zonemesh_toxiproxy_bytes_total', 'upstream')) === parts[1], {
      timeoutMs: 30_000,
      what: 'part 2 forwarded upstream',
    });
    expect(client.received.length).toBe(parts[0]);

    // Removing the toxics flushes what they held, then the fast path carries part 3,
    // and a toxic comes and goes again while part 3 is in flight.
    await held.remove();
    await noop.remove();
    await waitPassThrough({ upstream: 1, downstream: 1 });
    sendAll(client, payload.subarray(parts[1]));
    const again = await addToxic('noop_down', 'noop', 'downstream');
    await again.remove();

    const received = await client.receive(payload.length, 60_000);
    expect(received.length).toBe(payload.length);
    expect(received.equals(payload)).toBe(true);
    await waitPassThrough({ upstream: 1, downstream: 1 });
    expect(await metric('zonemesh_toxiproxy_bytes_total', 'upstream')).toBe(payload.length);
    expect(await metric('zonemesh_toxiproxy_bytes_total', 'downstream')).toBe(payload.length);
  });

  it('stops reading the client while the upstream takes nothing, and forwards the rest once it reads again', async () => {
    const held: Socket[] = [];
    const stalled = createServer({ pauseOnConnect: true }, (socket) => held.push(socket));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const port = (stalled.address() as { port: number }).port;
      await fx.freshProxy(`127.0.0.1:${port}`);
      const client = await fx.connect();
      const total = 64 * 1024 * 1024;
      const piece = Buffer.alloc(1024 * 1024, 0x61);
      for (let sent = 0; sent < total; sent += piece.length) client.send(piece);

      // Forwarding stalls at what the kernel buffers hold, far below the 64 MiB pushed
      // (a fast path without backpressure would queue all of it in the proxy).
      let last = -1;
      const stalledAt = await waitFor(
        async () => {
          const now = await metric('zonemesh_toxiproxy_bytes_total', 'upstream');
          const steady = now > 0 && now === last;
          last = now;
          return steady ? now : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 300, what: 'forwarding to stall' },
      );
      expect(stalledAt).toBeLessThan(24 * 1024 * 1024);
      expect((await passThrough()).upstream).toBe(1);

      for (const socket of held) socket.on('data', () => undefined).resume();
      await waitFor(async () => (await metric('zonemesh_toxiproxy_bytes_total', 'upstream')) === total, {
        timeoutMs: 60_000,
        what: 'all 64 MiB forwarded once the upstream reads',
      });
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });
});
