import { performance } from 'node:perf_hooks';
import { waitFor } from '@zonemesh/testing';
import { describe, expect, it } from 'vitest';
import { useProxyFixture } from '../testing/proxy-fixture.js';
import type { TestClient } from '../testing/tcp-harness.js';
import { median } from '../testing/median.js';

const fx = useProxyFixture('toxic');
const freshProxy = () => fx.freshProxy();
const open = () => fx.connect();

function toxic<T>(type: string, attributes: T, extra: { stream?: 'upstream' | 'downstream'; toxicity?: number; name?: string } = {}) {
  const stream = extra.stream ?? 'downstream';
  return fx.proxy.addToxic<T>({ name: extra.name ?? `${type}_${stream}`, type: type as never, stream, toxicity: extra.toxicity ?? 1, attributes });
}

async function roundTrips(client: TestClient, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await client.roundTrip(`ping-${i}`));
  return times;
}

describe('latency', () => {
  it('delays each chunk by the latency (median round trip within 10%)', async () => {
    await freshProxy();
    await toxic('latency', { latency: 200, jitter: 0 });
    const client = await open();
    const rtt = median(await roundTrips(client, 5));
    expect(rtt).toBeGreaterThanOrEqual(180);
    expect(rtt).toBeLessThanOrEqual(220);
  });

  it('applies to connections that were already open, and removal restores speed and flushes', async () => {
    await freshProxy();
    const client = await open();
    expect(median(await roundTrips(client, 3))).toBeLessThan(100);
    const added = await toxic('latency', { latency: 200, jitter: 0 });
    expect(median(await roundTrips(client, 3))).toBeGreaterThanOrEqual(180);
    await added.update({ attributes: { latency: 20, jitter: 0 } } as never);
    expect(median(await roundTrips(client, 3))).toBeLessThan(150);

    await added.update({ attributes: { latency: 5000, jitter: 0 } } as never);
    const before = client.received.length;
    const sentAt = performance.now();
    client.send('held');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await added.remove();
    await client.receive(before + 4, 2000);
    expect(performance.now() - sentAt).toBeLessThan(1500);
    expect(median(await roundTrips(client, 3))).toBeLessThan(100);
  });

  it('keeps the spacing of writes (delay counts from when data was read)', async () => {
    await freshProxy();
    await toxic('latency', { latency: 200, jitter: 0 });
    const client = await open();
    client.send('a');
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.send('b');
    await client.receive(2);
    expect(client.arrivals).toHaveLength(2);
    const gap = client.arrivals[1].at - client.arrivals[0].at;
    expect(gap).toBeGreaterThan(60);
    expect(gap).toBeLessThan(170);
  });

  it('never applies with toxicity 0, and a toxicity change reaches open connections', async () => {
    await freshProxy();
    const added = await toxic('latency', { latency: 300, jitter: 0 }, { toxicity: 0 });
    const client = await open();
    expect(Math.max(...(await roundTrips(client, 3)))).toBeLessThan(200);
    await added.update({ toxicity: 1 } as never);
    expect(median(await roundTrips(client, 3))).toBeGreaterThanOrEqual(270);
  });

  it('adds latency in both directions independently', async () => {
    await freshProxy();
    await toxic('latency', { latency: 100, jitter: 0 }, { stream: 'upstream' });
    await toxic('latency', { latency: 100, jitter: 0 }, { stream: 'downstream' });
    const client = await open();
    const rtt = median(await roundTrips(client, 3));
    expect(rtt).toBeGreaterThanOrEqual(180);
    expect(rtt).toBeLessThanOrEqual(260);
  });
});

describe('bandwidth', () => {
  it('limits throughput to roughly the rate', async () => {
    await freshProxy();
    await toxic('bandwidth', { rate: 100 }); // 100 KB/s
    const client = await open();
    const elapsed = await client.roundTrip(Buffer.alloc(50_000, 7)); // ~500 ms at 100 KB/s
    expect(elapsed).toBeGreaterThan(400);
    expect(elapsed).toBeLessThan(1500);
  });

  it('delivers nothing at rate 0 until the toxic is removed', async () => {
    await freshProxy();
    const held = await toxic('bandwidth', { rate: 0 });
    const client = await open();
    client.send('stuck');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.received.length).toBe(0);
    await held.remove();
    expect((await client.receive(5)).toString()).toBe('stuck');
  });
});

describe('timeout', () => {
  it('drops data and closes the connection after the timeout', async () => {
    await freshProxy();
    await toxic('timeout', { timeout: 300 });
    const client = await open();
    const start = performance.now();
    client.send('lost');
    await client.waitClosed(3000);
    expect(client.received.length).toBe(0);
    expect(client.closedAt! - start).toBeGreaterThan(250);
  });

  it('with timeout 0 holds the connection until removed, and removal closes it', async () => {
    await freshProxy();
    const held = await toxic('timeout', { timeout: 0 });
    const client = await open();
    client.send('lost');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.closed).toBe(false);
    expect(client.received.length).toBe(0);
    await held.remove();
    await client.waitClosed(2000);
    expect(client.received.length).toBe(0);
  });
});

describe('reset_peer', () => {
  it('resets the connection (ECONNRESET) after the timeout once data flows', async () => {
    await freshProxy();
    await toxic('reset_peer', { timeout: 100 }, { stream: 'upstream' });
    const client = await open();
    client.send('hello');
    await client.waitClosed(3000);
    expect(client.error?.code).toBe('ECONNRESET');
    expect(client.received.length).toBe(0);
  });
});

describe('limit_data', () => {
  it('closes the connection after the byte limit in that direction', async () => {
    await freshProxy();
    await toxic('limit_data', { bytes: 10 });
    const client = await open();
    client.send('0123456789abcdefghij');
    await client.waitClosed(3000);
    expect(client.received.toString()).toBe('0123456789');
  });
});

describe('slicer', () => {
  it('splits chunks into small delayed pieces', async () => {
    await freshProxy();
    await toxic('slicer', { average_size: 10, size_variation: 4, delay: 20_000 });
    const client = await open();
    const payload = 'x'.repeat(100);
    client.send(payload);
    expect((await client.receive(100)).toString()).toBe(payload);
    // Without the slicer the echo arrives in one piece; with it, in about ten.
    expect(client.arrivals.length).toBeGreaterThanOrEqual(4);
    const small = client.arrivals.filter((a) => a.size <= 14).length;
    expect(small).toBeGreaterThan(client.arrivals.length / 2);
  });
});

describe('slow_close', () => {
  it('delays the close after the source ends', async () => {
    await freshProxy();
    const client = await open();
    await client.roundTrip('warm');
    await toxic('slow_close', { delay: 400 });
    const start = performance.now();
    client.socket.end();
    await client.waitClosed(3000);
    expect(client.closedAt! - start).toBeGreaterThan(350);
  });

  it('closes promptly without the toxic', async () => {
    await freshProxy();
    const client = await open();
    await client.roundTrip('warm');
    const start = performance.now();
    client.socket.end();
    await client.waitClosed(3000);
    expect(client.closedAt! - start).toBeLessThan(300);
  });
});

describe('noop', () => {
  it('passes data through unchanged', async () => {
    await freshProxy();
    await toxic('noop', {});
    const client = await open();
    await client.roundTrip('same');
    expect(client.received.toString()).toBe('same');
    await waitFor(() => fx.echo.accepted > 0, { timeoutMs: 5000, what: 'the upstream to accept' });
  });

  it('joins a connection mid-stream (piped until then): every byte arrives once and in order', async () => {
    await freshProxy();
    const client = await open();
    const payload = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32BE(i / 4, i);
    const half = payload.length / 2;
    for (let i = 0; i < half; i += 64 * 1024) client.send(payload.subarray(i, i + 64 * 1024));
    await client.receive(1024 * 1024, 10_000);
    await toxic('noop', {}, { stream: 'upstream' });
    await toxic('noop', {}, { stream: 'downstream' });
    for (let i = half; i < payload.length; i += 64 * 1024) client.send(payload.subarray(i, i + 64 * 1024));
    const received = await client.receive(payload.length, 20_000);
    expect(received.length).toBe(payload.length);
    expect(received.equals(payload)).toBe(true);
  });
});
