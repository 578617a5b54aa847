import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointListener, EndpointSource } from '../resolver/endpoint-source.js';
import { ManualLbClock } from '../lb-clock.js';
import { createHttpBalancer, type HttpBalancer, type HttpBalancerEvent } from './http.balancer.js';
import { HttpBalancerError } from './http-failure.js';
import { IdServer } from './testing/http-servers.test.js';

const servers: IdServer[] = [];
const balancers: HttpBalancer[] = [];

async function start(id: string, zone: string): Promise<IdServer> {
  const server = await IdServer.start(id, zone);
  servers.push(server);
  return server;
}

function balancer(options: Parameters<typeof createHttpBalancer>[0]): HttpBalancer {
  const created = createHttpBalancer(options);
  balancers.push(created);
  return created;
}

async function servedBy(lb: HttpBalancer, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await lb.request('/who')).body);
  return ids;
}

afterEach(async () => {
  await Promise.all(balancers.splice(0).map((b) => b.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('createHttpBalancer', () => {
  it('prefers the caller zone and balances over its endpoints', async () => {
    const [a1, a2, b1] = [await start('a1', 'zone-a'), await start('a2', 'zone-a'), await start('b1', 'zone-b')];
    const lb = balancer({ zone: 'zone-a', endpoints: [b1.endpoint, a1.endpoint, a2.endpoint] });
    const ids = await servedBy(lb, 20);
    expect(new Set(ids)).toEqual(new Set(['a1', 'a2']));
    expect(b1.hits).toBe(0);
    expect(lb.snapshot().tier).toBe('local');
  });

  it('moves past a dead own-zone server to the next one, without a failed request, and caches it', async () => {
    const clock = new ManualLbClock();
    const [a1, a2, b1] = [await start('a1', 'zone-a'), await start('a2', 'zone-a'), await start('b1', 'zone-b')];
    const events: HttpBalancerEvent[] = [];
    // healthy_threshold 0.5: one healthy of two keeps the zone whole (at the default 0.72 a share would spill to zone-b).
    const lb = balancer({
      zone: 'zone-a',
      endpoints: [a1.endpoint, a2.endpoint, b1.endpoint],
      clock,
      policy: { zone_failover: { healthy_threshold: 0.5 } },
      onEvent: (e) => events.push(e),
    });
    await a1.stop();
    const responses = [];
    for (let i = 0; i < 10; i += 1) responses.push(await lb.request('/who'));
    expect(responses.map((r) => r.body)).toEqual(Array(10).fill('a2'));
    const retried = responses.filter((r) => r.attempts > 1);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.failures[0]).toMatchObject({ endpoint: 'a1', kind: 'connect_failure', detail: 'ECONNREFUSED' });
    const a1View = lb.snapshot().endpoints.find((e) => e.id === 'a1')!;
    expect(a1View.failedUntil).toBe(clock.now() + 20 * 60_000);
    expect(events.map((e) => e.type)).toEqual(['failed-instance-cached', 'retry']);
    expect(b1.hits).toBe(0);
  });

  it('spills part of the traffic to the next zone when the own zone drops below healthy_threshold (default 0.72)', async () => {
    const [a1, a2, b1] = [await start('a1', 'zone-a'), await start('a2', 'zone-a'), await start('b1', 'zone-b')];
    let draw = 0;
    // Zone draws alternate low/high: with half of zone-a healthy, zone-a takes 0.5/0.72 of the load, zone-b the rest.
    const random = (): number => ((draw += 1) % 2 === 0 ? 0.99 : 0.01);
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint, b1.endpoint], clock: new ManualLbClock(), random });
    await a1.stop();
    const ids = await servedBy(lb, 10);
    expect(ids).not.toContain('a1');
    expect(new Set(ids)).toEqual(new Set(['a2', 'b1']));
    expect(lb.snapshot().tier).toBe('spill');
  });

  it('fails over to the other zone when every own-zone server is dead: 0 failed requests', async () => {
    const [a1, a2, b1] = [await start('a1', 'zone-a'), await start('a2', 'zone-a'), await start('b1', 'zone-b')];
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint, b1.endpoint], clock: new ManualLbClock() });
    await a1.stop();
    await a2.stop();
    const ids = await servedBy(lb, 10);
    expect(ids).toEqual(Array(10).fill('b1'));
    expect(lb.snapshot().tier).toBe('remote');
  });

  it('fails back to the own zone only after failed_instance_ttl (deliberate, not on first sight)', async () => {
    const clock = new ManualLbClock();
    const [a1, b1] = [await start('a1', 'zone-a'), await start('b1', 'zone-b')];
    const lb = balancer({
      zone: 'zone-a',
      endpoints: [a1.endpoint, b1.endpoint],
      clock,
      policy: { zone_failover: { failed_instance_ttl: '10s' } },
    });
    await a1.stop();
    expect(await servedBy(lb, 3)).toEqual(['b1', 'b1', 'b1']);
    await a1.restart();
    clock.advance(9_999);
    expect(await servedBy(lb, 3)).toEqual(['b1', 'b1', 'b1']);
    expect(a1.hits).toBe(0);
    clock.advance(2);
    expect(await servedBy(lb, 3)).toEqual(['a1', 'a1', 'a1']);
    expect(lb.snapshot().endpoints.find((e) => e.id === 'a1')!.failedUntil).toBeUndefined();
  });

  it('never retries the same endpoint, even with attempts left', async () => {
    const [a1, a2] = [await start('a1', 'zone-a'), await start('a2', 'zone-a')];
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint], policy: { retry: { max_attempts: 5 } } });
    await a1.stop();
    await a2.stop();
    const error = await lb.request('/who').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpBalancerError);
    const attempts = (error as HttpBalancerError).attempts.map((a) => a.endpoint).sort();
    expect(attempts).toEqual(['a1', 'a2']);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('tries a cached failed endpoint last rather than not at all', async () => {
    const clock = new ManualLbClock();
    const [a1, b1] = [await start('a1', 'zone-a'), await start('b1', 'zone-b')];
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, b1.endpoint], clock });
    await a1.stop();
    expect((await lb.request('/')).body).toBe('b1');
    await b1.stop();
    await a1.restart();
    // a1 is cached as failed and b1 is dead: a1 is still worth the attempt.
    expect((await lb.request('/')).body).toBe('a1');
  });

  it('ends an attempt after read_timeout and retries an idempotent request on the next endpoint', async () => {
    const [a1, a2] = [await start('a1', 'zone-a'), await start('a2', 'zone-a')];
    a1.hang = true;
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint], policy: { read_timeout: '300ms' } });
    const ids = await servedBy(lb, 4);
    expect(ids).toEqual(['a2', 'a2', 'a2', 'a2']);
    expect(a1.hits).toBe(1);
  });

  it('does not resend a non-idempotent request that timed out, but does after a connect failure', async () => {
    const [a1, a2] = [await start('a1', 'zone-a'), await start('a2', 'zone-a')];
    a1.hang = true;
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint], policy: { read_timeout: '300ms', lb_policy: 'random' }, random: () => 0 });
    const error = await lb.request('/register', { method: 'POST', body: 'x' }).catch((e: unknown) => e);
    expect((error as HttpBalancerError).attempts).toEqual([expect.objectContaining({ endpoint: 'a1', kind: 'timeout' })]);
    expect(a2.hits).toBe(0);
    const lb2 = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint], policy: { lb_policy: 'random' }, random: () => 0 });
    await a1.stop();
    const response = await lb2.request('/register', { method: 'POST', body: 'x' });
    expect(response).toMatchObject({ body: 'a2', attempts: 2 });
  });

  it('retries 5xx on the next endpoint when retry_on has 5xx, and returns the 5xx when it has not', async () => {
    const [a1, a2] = [await start('a1', 'zone-a'), await start('a2', 'zone-a')];
    a1.status = 503;
    const random = (): number => 0;
    const lb = balancer({ zone: 'zone-a', endpoints: [a1.endpoint, a2.endpoint], policy: { lb_policy: 'random' }, random });
    expect(await lb.request('/')).toMatchObject({ status: 200, body: 'a2', attempts: 2 });
    const strict = balancer({
      zone: 'zone-a',
      endpoints: [a1.endpoint, a2.endpoint],
      policy: { lb_policy: 'random', retry: { retry_on: ['connect_failure'] } },
      random,
    });
    expect(await strict.request('/')).toMatchObject({ status: 503, body: 'a1', attempts: 1 });
  });

  it('follows its source and keeps the last good list when the source reports an error', async () => {
    const [a1, a2] = [await start('a1', 'zone-a'), await start('a2', 'zone-a')];
    let push: EndpointListener = () => undefined;
    const source: EndpointSource = { start: (l) => void (push = l), refresh: () => undefined, stop: () => undefined };
    const lb = balancer({ zone: 'zone-a', source });
    await expect(lb.request('/')).rejects.toThrow(/no endpoint/);
    push({ endpoints: [a1.endpoint] });
    expect((await lb.request('/')).body).toBe('a1');
    push({ endpoints: [a2.endpoint] });
    expect((await lb.request('/')).body).toBe('a2');
    push({ error: new Error('dns down') });
    expect((await lb.request('/')).body).toBe('a2');
    expect(lb.endpoints().map((e) => e.id)).toEqual(['a2']);
  });
});
