import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { useLbClock, systemLbClock } from '../lb-clock.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

/**
 * Issue 12: a zone dying under load fails every call in flight at once, so
 * every active call needs its retry at the same moment. Real gRPC servers
 * and clients; the caller sits in zone-a (one server), zone-b has two.
 */
describe('retry budgets under a burst and under a storm', () => {
  let a1: EchoServer, b1: EchoServer, b2: EchoServer;
  const clients: EchoClient[] = [];
  const cleanups: Array<() => void> = [];
  let counter = 0;

  beforeAll(async () => {
    setupZonemeshLb();
    [a1, b1, b2] = await Promise.all([EchoServer.start('a1'), EchoServer.start('b1'), EchoServer.start('b2')]);
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    cleanups.splice(0).forEach((c) => c());
    for (const s of [a1, b1, b2]) {
      s.failWith = undefined;
      s.delayMs = 0;
      s.calls = 0;
    }
    if (a1.port && !(a1 as unknown as { server: unknown }).server) await a1.restart();
  });
  afterAll(() => [a1, b1, b2].forEach((s) => s.stop()));

  function connect(retry: Record<string, unknown>): EchoClient {
    cleanups.push(useLbClock(systemLbClock));
    const cluster = parseClusterConfig(
      {
        name: `burst-${++counter}`,
        type: 'static',
        endpoints: [
          { address: a1.address, id: 'a1', zone: 'zone-a' },
          { address: b1.address, id: 'b1', zone: 'zone-b' },
          { address: b2.address, id: 'b2', zone: 'zone-b' },
        ],
        outlier_detection: { enabled: false },
        retry_policy: { max_attempts: 3, base_interval: '10ms', max_interval: '20ms', ...retry },
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    clients.push(client);
    return client;
  }

  const outcome = (call: Promise<string>) => call.catch((e: { code: number; details: string }) => `error:${e.code}:${e.details}`);

  /** 64 calls in flight on zone-a together, all failing at once with an application UNAVAILABLE. */
  async function burstOfApplicationFailures(client: EchoClient): Promise<string[]> {
    await client.who(); // connected, zone-a serving
    a1.failWith = 14;
    a1.delayMs = 100;
    return Promise.all(Array.from({ length: 64 }, () => outcome(client.who(5_000))));
  }

  it("Linkerd's windowed budget retries every one of 64 calls failing at once", async () => {
    const results = await burstOfApplicationFailures(connect({ budget: { ratio: 0.2, min_per_second: 10, window: '10s' } }));
    expect(results.filter((r) => r.startsWith('error'))).toEqual([]);
    expect(results.every((r) => r.startsWith('b'))).toBe(true);
  });

  it("control: Envoy's concurrency budget (20% of active calls, min 3) drops most of the same burst", async () => {
    const results = await burstOfApplicationFailures(connect({ budget_percent: 20, min_retry_concurrency: 3 }));
    const dropped = results.filter((r) => r.includes('retry budget of cluster'));
    expect(dropped.length).toBeGreaterThan(32);
  });

  it('caps a retry storm when every zone fails: retries stay within ratio x requests + the reserve', async () => {
    const client = connect({ budget: { ratio: 0.2, min_per_second: 1, window: '10s' } });
    await client.who();
    for (const s of [a1, b1, b2]) {
      s.failWith = 14;
      s.calls = 0;
    }
    const calls = 200;
    for (let batch = 0; batch < calls / 20; batch += 1) await Promise.all(Array.from({ length: 20 }, () => outcome(client.who())));
    const attempts = a1.calls + b1.calls + b2.calls;
    // Unbudgeted, max_attempts 3 would make 600. Budget: 200 x 0.2 + 1/s x 10 s = 50 retries
    // (+ a few admitted together before the first of them started).
    expect(attempts).toBeGreaterThanOrEqual(calls);
    expect(attempts - calls).toBeLessThanOrEqual(50 + 20);
  });

  it('retries calls that never got an answer (their connection died) without drawing from the budget', async () => {
    // No application retry may happen at all with this budget...
    const client = connect({ budget: { ratio: 0, min_per_second: 0, window: '10s' } });
    await client.who();
    a1.calls = 0;
    a1.delayMs = 2_000;
    const inFlight = Array.from({ length: 64 }, () => outcome(client.who(10_000)));
    await waitFor(() => a1.calls === 64, { what: '64 calls in flight on a1' });
    // ...yet the 64 calls in flight when zone-a dies all land in zone-b.
    a1.stop();
    const results = await Promise.all(inFlight);
    expect(results.filter((r) => r.startsWith('error'))).toEqual([]);
    expect(results.every((r) => r.startsWith('b'))).toBe(true);
  });
});
