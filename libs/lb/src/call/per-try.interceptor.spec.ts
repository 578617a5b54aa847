import { afterEach, describe, expect, it } from 'vitest';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { ConfigError } from '@zonemesh/config';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { PER_TRY_OVERRIDE } from './per-try.interceptor.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';

/**
 * Per-try timeout and hedging through real gRPC servers: one zone, two
 * endpoints, one of them slow. Outlier detection is off so that only the
 * call layer decides where calls end up.
 */
describe('retry_policy.per_try_timeout and hedge_on_per_try_timeout', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  let run = 0;

  async function setup(delays: { a1: number; a2: number }, retryPolicy: Record<string, unknown>): Promise<{ servers: EchoServer[]; client: EchoClient }> {
    setupZonemeshLb();
    const servers = await Promise.all(['a1', 'a2'].map((id) => EchoServer.start(id)));
    cleanups.push(() => servers.forEach((s) => s.stop()));
    const cluster = parseClusterConfig(
      {
        name: `per-try-${run++}`,
        type: 'static',
        endpoints: servers.map((s) => ({ address: s.address, id: s.id, zone: 'zone-a' })),
        outlier_detection: { enabled: false },
        retry_policy: { base_interval: '25ms', max_interval: '250ms', ...retryPolicy },
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    cleanups.push(() => client.close());
    // Both endpoints connected before the delays start.
    for (let i = 0; i < 4; i++) await client.who();
    servers[0]!.delayMs = delays.a1;
    servers[1]!.delayMs = delays.a2;
    for (const s of servers) s.calls = 0;
    return { servers, client };
  }

  async function answers(client: EchoClient, count: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(await client.who(8_000));
    return out;
  }

  it('without a per-try timeout a call that lands on the slow endpoint waits for it (the baseline)', async () => {
    const { client } = await setup({ a1: 600, a2: 0 }, { max_attempts: 3 });
    expect(new Set(await answers(client, 4))).toEqual(new Set(['a1', 'a2']));
  });

  it('cuts a try that has no answer after per_try_timeout and sends the next one to the other endpoint', async () => {
    const { servers, client } = await setup({ a1: 3_000, a2: 0 }, { max_attempts: 3, per_try_timeout: '200ms' });
    expect(await answers(client, 6)).toEqual(Array(6).fill('a2'));
    // Round robin sent about half of the first tries to a1, each cut after 200 ms.
    expect(servers[0]!.calls).toBeGreaterThanOrEqual(2);
  });

  it('hedging keeps the slow try and races a new one: the first answer wins, whichever try it came from', async () => {
    // a1 answers after 400 ms, a2 after 1.5 s; a try without an answer after 150 ms gets a hedge on the other endpoint.
    const hedged = await setup({ a1: 400, a2: 1_500 }, { max_attempts: 2, per_try_timeout: '150ms', hedge_on_per_try_timeout: true });
    expect(await answers(hedged.client, 4)).toEqual(Array(4).fill('a1'));
    // Every call tried both endpoints (the hedges to a2 lost and were cancelled).
    expect(hedged.servers[1]!.calls).toBe(4);
    cleanups.splice(0).forEach((c) => c());
    // The same without hedging: each try is cut at 150 ms, so both are and the call fails.
    const cut = await setup({ a1: 400, a2: 1_500 }, { max_attempts: 2, per_try_timeout: '150ms' });
    await expect(cut.client.who(8_000)).rejects.toMatchObject({ code: 4 });
  });

  it('hedges are retries: an empty retry budget refuses them and the first try answers, slowly but without failing', async () => {
    const { servers, client } = await setup(
      { a1: 500, a2: 0 },
      { max_attempts: 3, per_try_timeout: '100ms', hedge_on_per_try_timeout: true, budget: { ratio: 0, min_per_second: 0, window: '10s' } },
    );
    const got = await answers(client, 6);
    expect(got).toContain('a1');
    expect(servers[0]!.calls + servers[1]!.calls).toBe(6);
  });

  it("a call's own options override its cluster's (a gateway route's retry_policy): PER_TRY_OVERRIDE", async () => {
    const { client } = await setup({ a1: 3_000, a2: 0 }, { max_attempts: 3 });
    const got: string[] = [];
    for (let i = 0; i < 6; i++) got.push(await client.who(8_000, {}, { [PER_TRY_OVERRIDE]: { perTryTimeoutMs: 200 } }));
    expect(got).toEqual(Array(6).fill('a2'));
  });

  it('stops after max_attempts tries and fails with DEADLINE_EXCEEDED naming the per-try timeout', async () => {
    const { servers, client } = await setup({ a1: 3_000, a2: 3_000 }, { max_attempts: 3, per_try_timeout: '150ms' });
    await expect(client.who(8_000)).rejects.toMatchObject({ code: 4, details: expect.stringContaining('per-try timeout') });
    expect(servers[0]!.calls + servers[1]!.calls).toBe(3);
  });

  it('refuses settings that could never take effect, naming the key', () => {
    const parse = (retry: Record<string, unknown>) => () => parseClusterConfig({ name: 'c', type: 'static', endpoints: [{ address: '127.0.0.1:1' }], retry_policy: retry }, 'clusters[0]');
    expect(parse({ hedge_on_per_try_timeout: true })).toThrow(ConfigError);
    expect(parse({ hedge_on_per_try_timeout: true })).toThrow(/clusters\[0\]\.retry_policy\.hedge_on_per_try_timeout: needs per_try_timeout/);
    expect(parse({ per_try_timeout: '2s', timeout: '1s' })).toThrow(/clusters\[0\]\.retry_policy\.per_try_timeout: must be shorter than timeout/);
  });
});
