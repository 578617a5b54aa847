import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadGenerator } from './load-generator.js';

let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; connections: () => number; seen: IncomingMessage[] }> {
  let connections = 0;
  const seen: IncomingMessage[] = [];
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections, seen };
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
});

const product = (req: IncomingMessage, zone: string) =>
  JSON.stringify({ id: req.url, servedBy: { catalog: `catalog-${zone}-1`, pricing: `pricing-${req.headers['x-api-version'] ?? 'v1'}-${zone}-1`, inventory: `inventory-${zone}-2` } });

describe('LoadGenerator', () => {
  it('sends rate x duration requests over a few keep-alive connections and journals each answer', async () => {
    const target = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/products/7') {
        res.statusCode = 503;
        res.end('{"error":"unavailable"}');
        return;
      }
      res.end(product(req, 'zone-b'));
    });
    const load = new LoadGenerator({
      baseUrl: target.url,
      rate: 100,
      durationMs: 1000,
      timeoutMs: 2000,
      connections: 4,
      mix: [
        { path: '/api/products/{id}', headers: {}, weight: 3 },
        { path: '/api/v2/products/{id}', headers: { 'x-api-version': 'v2' }, weight: 1 },
      ],
    });
    const records = await load.run();
    expect(records).toHaveLength(100);
    expect(target.connections()).toBeLessThanOrEqual(4);
    // Due times follow the schedule: 10 ms apart, starting at 0.
    expect(records.map((r) => r.t).sort((a, b) => a - b).slice(0, 3)).toEqual([0, 10, 20]);
    const failed = records.filter((r) => r.status === 503);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((r) => r.servedBy === undefined)).toBe(true);
    const ok = records.find((r) => r.status === 200 && r.shape === 1)!;
    expect(ok.servedBy).toEqual({ catalog: 'catalog-zone-b-1', pricing: 'pricing-v2-zone-b-1', inventory: 'inventory-zone-b-2' });
    const v2 = target.seen.filter((req) => req.headers['x-api-version'] === 'v2').length;
    expect(v2).toBeGreaterThanOrEqual(15);
    expect(v2).toBeLessThanOrEqual(35);
  });

  it('is open loop: answers that hang do not slow the schedule, and time out as status 0', async () => {
    const target = await serve((req, res) => {
      // Every fifth request never gets an answer.
      if (Number(req.url!.split('/').pop()) % 5 === 0) return;
      res.end(product(req, 'zone-a'));
    });
    const started = Date.now();
    const load = new LoadGenerator({ baseUrl: target.url, rate: 50, durationMs: 1000, timeoutMs: 400, connections: 8, mix: [{ path: '/api/products/{id}', headers: {}, weight: 1 }] });
    const records = await load.run();
    expect(records).toHaveLength(50);
    const timedOut = records.filter((r) => r.status === 0);
    expect(timedOut).toHaveLength(10);
    expect(timedOut.every((r) => r.error === 'timeout' && r.latencyMs >= 390)).toBe(true);
    // All 50 were sent on schedule: the run ends about one timeout after the last one was due, not 10 timeouts later.
    expect(Date.now() - started).toBeLessThan(3500);
  });

  it('records a refused connection as an error with its code', async () => {
    const target = await serve(() => undefined);
    const s = server!;
    server = undefined;
    await new Promise((resolve) => s.close(resolve));
    const records = await new LoadGenerator({ baseUrl: target.url, rate: 20, durationMs: 200, timeoutMs: 1000, connections: 1, mix: [{ path: '/x', headers: {}, weight: 1 }] }).run();
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.status === 0 && r.error === 'ECONNREFUSED')).toBe(true);
  });

  it('refuses to send load anywhere but loopback', () => {
    expect(() => new LoadGenerator({ baseUrl: 'http://10.1.2.3:8080', rate: 1, durationMs: 1000, timeoutMs: 100, connections: 1, mix: [] })).toThrow(
      /only loopback addresses/,
    );
  });

  it('with callers, keeps exactly that many requests in flight until the duration is over (closed loop)', async () => {
    let inFlight = 0;
    let most = 0;
    const target = await serve((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.setHeader('content-type', 'application/json');
        res.end(product(req, 'zone-a'));
      }, 20);
    });
    const load = new LoadGenerator({ baseUrl: target.url, rate: 0, callers: 8, durationMs: 600, timeoutMs: 2000, connections: 8, mix: [{ path: '/api/products/{id}', headers: {}, weight: 1 }] });
    const records = await load.run();
    expect(most).toBe(8);
    // Each caller waits for its answer: no more than callers x (duration / service time) requests, give or take one round.
    expect(records.length).toBeLessThanOrEqual(8 * (600 / 20 + 1));
    expect(records.length).toBeGreaterThan(8);
    expect(records.every((r) => r.status === 200 && r.t < 600)).toBe(true);
  });

  it('with callers, a 429 with Retry-After pauses the caller that got it (a well-behaved client facing a circuit breaker)', async () => {
    const target = await serve((_req, res) => {
      res.statusCode = 429;
      res.setHeader('retry-after', '1');
      res.end('{"error":{"code":"RESOURCE_EXHAUSTED"}}');
    });
    const load = new LoadGenerator({ baseUrl: target.url, rate: 0, callers: 4, durationMs: 1500, timeoutMs: 2000, connections: 4, mix: [{ path: '/api/products/{id}', headers: {}, weight: 1 }] });
    const records = await load.run();
    // Without the pause 4 callers would send hundreds of requests in 1.5 s; with it, two rounds (t = 0 and t = 1 s).
    expect(records.every((r) => r.status === 429)).toBe(true);
    expect(records.length).toBe(8);
  });
});
