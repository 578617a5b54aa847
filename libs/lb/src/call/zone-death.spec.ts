import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';

/** A TCP proxy in front of a server whose `cut()` drops every connection at once, as a disabled fault proxy does. */
async function startProxy(port: number): Promise<{ port: number; cut(): void; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ port, host: '127.0.0.1' });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).on('error', () => client.destroy());
    upstream.pipe(client).on('error', () => upstream.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    server.close();
    for (const socket of sockets) socket.destroy();
  };
  return { port: (server.address() as { port: number }).port, cut, close: cut };
}

/**
 * Issue 12's zone kill at the library level: 64 callers in a closed loop,
 * real gRPC servers behind TCP proxies, zone-a's proxies cut while calls are
 * in flight (some between an answer and its trailers). The mesh-level test
 * is apps/meshctl's zone-kill.e2e.spec.ts.
 */
describe('a zone dying under 64 concurrent callers', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  async function killZoneUnderLoad(run: number): Promise<{ ok: number; failures: string[] }> {
    setupZonemeshLb();
    const servers = await Promise.all(['a1', 'a2', 'b1', 'b2'].map((id) => EchoServer.start(id)));
    const proxies = await Promise.all(servers.map((s) => startProxy(s.port)));
    cleanups.push(() => servers.forEach((s) => s.stop()), () => proxies.forEach((p) => p.close()));
    for (const s of servers) s.delayMs = 20;
    const cluster = parseClusterConfig(
      {
        name: `zone-death-${run}`,
        type: 'static',
        endpoints: servers.map((s, i) => ({ address: `127.0.0.1:${proxies[i]!.port}`, id: s.id, zone: s.id.startsWith('a') ? 'zone-a' : 'zone-b' })),
        outlier_detection: { interval: '1s', consecutive_errors: 3, consecutive_local_origin_failure: 2, base_ejection_time: '5s' },
        zone_failover: { failed_instance_ttl: '10s' },
        // mesh.yaml's policy
        retry_policy: { max_attempts: 3, base_interval: '25ms', max_interval: '250ms', budget: { ratio: 0.2, min_per_second: 10, window: '10s' } },
      },
      'cluster',
    );
    const client: EchoClient = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    cleanups.push(() => client.close());
    await client.who();
    let ok = 0;
    let stop = false;
    const failures: string[] = [];
    const caller = async () => {
      while (!stop) {
        try {
          await client.who(5_000);
          ok += 1;
        } catch (error) {
          failures.push(`${(error as { code: number }).code} ${(error as { details: string }).details}`);
        }
      }
    };
    const callers = Array.from({ length: 64 }, caller);
    // Calls are in flight on zone-a when it dies: wait until it has served some.
    while (servers[0]!.calls + servers[1]!.calls < 200) await new Promise((resolve) => setTimeout(resolve, 20));
    proxies[0]!.cut();
    proxies[1]!.cut();
    const servedBefore = servers[2]!.calls + servers[3]!.calls;
    while (servers[2]!.calls + servers[3]!.calls < servedBefore + 200) await new Promise((resolve) => setTimeout(resolve, 20));
    stop = true;
    await Promise.all(callers);
    return { ok, failures };
  }

  it('loses no call, three runs in a row', async () => {
    for (let run = 1; run <= 3; run += 1) {
      const { ok, failures } = await killZoneUnderLoad(run);
      expect(ok).toBeGreaterThan(300);
      expect(failures).toEqual([]);
      cleanups.splice(0).forEach((c) => c());
    }
  }, 60_000);
});
