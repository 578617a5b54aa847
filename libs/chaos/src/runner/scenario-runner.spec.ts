import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '@zonemesh/testing';
import { startToxiproxyServer, type ToxiproxyServer } from '@zonemesh/toxiproxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultError } from '../faults/fault-injector.js';
import { parseScenario } from '../scenario/scenario.parser.js';
import { runScenario } from './scenario-runner.js';

/**
 * A miniature mesh: one catalog per zone, each behind a real (embedded)
 * Toxiproxy proxy, and a "gateway" that prefers zone-a and falls back to
 * zone-b when zone-a fails — enough for the runner to see a failover.
 */
const servers: Server[] = [];
let toxiproxy: ToxiproxyServer;
let gatewayUrl: string;
let backendHits = 0;

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function backend(id: string): Promise<number> {
  return listen(
    createServer((_req, res) => {
      backendHits++;
      res.end(id);
    }),
  );
}

beforeAll(async () => {
  const a = await backend('catalog-zone-a-1');
  const b = await backend('catalog-zone-b-1');
  toxiproxy = await startToxiproxyServer({
    port: 0,
    populate: [
      { name: 'catalog-zone-a-1', listen: '127.0.0.1:0', upstream: `127.0.0.1:${a}` },
      { name: 'catalog-zone-b-1', listen: '127.0.0.1:0', upstream: `127.0.0.1:${b}` },
    ],
  });
  const proxies = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { listen: string }>;
  const via = (name: string) => `http://${proxies[name]!.listen}/`;
  const gatewayPort = await listen(
    createServer(async (req, res) => {
      if (req.url === '/admin/clusters') {
        res.statusCode = 404;
        res.end();
        return;
      }
      for (const name of ['catalog-zone-a-1', 'catalog-zone-b-1']) {
        try {
          // Two hops fit in the load timeout (1 s); a starved CI machine needs more than 300 ms a hop.
          const answer = await fetch(via(name), { signal: AbortSignal.timeout(450) });
          const id = await answer.text();
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ id: req.url, servedBy: { catalog: id } }));
          return;
        } catch {
          // try the next zone
        }
      }
      res.statusCode = 503;
      res.end('{"error":"no catalog"}');
    }),
  );
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
});

afterAll(async () => {
  await toxiproxy?.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function proxyState(): Promise<Record<string, { enabled: boolean; toxics: unknown[] }>> {
  return (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { enabled: boolean; toxics: unknown[] }>;
}

const target = () => ({ gatewayUrl, toxiproxyUrl: toxiproxy.url, registryUrls: {} });

describe('runScenario against a miniature two-zone mesh', () => {
  it('disables zone-a, measures ejection, failover and failback, heals, and passes', async () => {
    const scenario = parseScenario({
      name: 'mini-outage',
      steady_state: { window: '750ms', error_rate: 0.05, share: { service: 'catalog', zone: 'zone-a', min: 0.9 } },
      // Bounds of 2 s, not the runner's speed: this spec tests what the runner
      // measures, and a CI machine running two suites at once stalls for a second.
      load: { rate: 40, duration: '5s', timeout: '1s' },
      steps: [{ name: 'a-down', at: '1s', duration: '2500ms', fault: { type: 'down', targets: { zone: 'zone-a' } } }],
      assertions: [
        { ejected: { target: { zone: 'zone-a' }, step: 'a-down', within: '2s' } },
        { share: { service: 'catalog', zone: 'zone-b', min: 0.9, step: 'a-down', within: '2s' } },
        { failback: { service: 'catalog', zone: 'zone-a', min: 0.9, step: 'a-down', within: '2s' } },
        { error_rate: { max: 0.05 } },
      ],
    });
    const lines: string[] = [];
    const result = await runScenario(scenario, target(), { onProgress: (l) => lines.push(l) });

    const { journal } = result;
    expect(journal.steps).toHaveLength(1);
    expect(journal.steps[0]).toMatchObject({ name: 'a-down', targets: ['catalog-zone-a-1'] });
    expect(journal.steps[0]!.endMs! - journal.steps[0]!.startMs).toBeGreaterThanOrEqual(2400);
    expect(journal.records).toHaveLength(200);
    expect(journal.buckets).toHaveLength(20);
    expect(journal.clustersAvailable).toBe(false);
    expect(journal.steadyState.map((r) => [r.phase, r.passed])).toEqual([
      ['before', true],
      ['before', true],
      ['after', true],
      ['after', true],
    ]);
    for (const a of journal.assertions) expect(a.passed, `${a.name}: ${a.detail}`).toBe(true);
    expect(journal.assertions[1]!.value).toBeLessThanOrEqual(2000);
    expect(result.passed).toBe(true);
    expect(lines.some((l) => /fault: a-down: down on catalog-zone-a-1/.test(l))).toBe(true);
    expect(lines.some((l) => /rps +\d+ +err/.test(l))).toBe(true);
    expect((await proxyState())['catalog-zone-a-1']!.enabled).toBe(true);
  }, 20_000);

  it('aborts before the first fault when the steady state does not hold, unless told to measure anyway (baseline)', async () => {
    const scenario = parseScenario({
      name: 'mini-unsteady',
      // The miniature gateway prefers zone-a: a zone-b hypothesis never holds.
      steady_state: { window: '500ms', error_rate: 0.05, share: { service: 'catalog', zone: 'zone-b', min: 0.9 } },
      load: { rate: 40, duration: '4s', timeout: '1s' },
      steps: [{ name: 'a-down', at: '750ms', duration: '2500ms', fault: { type: 'down', targets: { zone: 'zone-a' } } }],
      assertions: [{ share: { service: 'catalog', zone: 'zone-b', min: 0.9, step: 'a-down', within: '2s' } }],
    });
    const gated = await runScenario(scenario, target());
    expect(gated.journal.aborted).toBe('steady state not met before the first fault');
    expect(gated.journal.steps).toEqual([]);
    expect(gated.journal.assertions).toEqual([]);

    const measured = await runScenario(scenario, target(), { abortWhenUnsteady: false });
    expect(measured.journal.aborted).toBeUndefined();
    expect(measured.journal.steps.map((s) => s.name)).toEqual(['a-down']);
    expect(measured.journal.steadyState.find((r) => r.phase === 'before' && r.kind === 'share')!.passed).toBe(false);
    expect(measured.journal.assertions[0]!.passed, measured.journal.assertions[0]!.detail).toBe(true);
    expect(measured.passed).toBe(false);
    expect((await proxyState())['catalog-zone-a-1']!.enabled).toBe(true);
  }, 20_000);

  it('rolls back a toxic when the run is aborted mid-fault', async () => {
    const scenario = parseScenario({
      name: 'mini-abort',
      load: { rate: 20, duration: '10s', timeout: '1s' },
      steps: [{ name: 'slow', at: '500ms', duration: '8s', fault: { type: 'latency', latency: '50ms', targets: { instance: 'catalog-*' } } }],
      assertions: [{ error_rate: { max: 0 } }],
    });
    const abort = new AbortController();
    const running = runScenario(scenario, target(), { signal: abort.signal });
    await waitFor(async () => (await proxyState())['catalog-zone-b-1']!.toxics.length === 1, { timeoutMs: 5000, what: 'the toxic' });
    abort.abort();
    const result = await running;
    expect(result.passed).toBe(false);
    expect(result.journal.aborted).toBe('interrupted');
    expect(result.journal.durationMs).toBeLessThan(5000);
    expect(result.journal.events.some((e) => e.kind === 'rollback' && /remove toxic chaos-slow/.test(e.message))).toBe(true);
    const state = await proxyState();
    expect(state['catalog-zone-a-1']!.toxics).toEqual([]);
    expect(state['catalog-zone-b-1']!.toxics).toEqual([]);
  }, 20_000);

  it('warms up with the load shape before t = 0 and keeps none of it in the journal', async () => {
    const before = backendHits;
    const scenario = parseScenario({
      name: 'mini-warm',
      load: { rate: 40, duration: '1s', warmup: '500ms', timeout: '1s' },
      steps: [{ name: 'noop', at: '500ms', duration: '100ms', fault: { type: 'latency', latency: '1ms', targets: { zone: 'zone-b' } } }],
      assertions: [{ error_rate: { max: 0 } }],
    });
    const lines: string[] = [];
    const result = await runScenario(scenario, target(), { onProgress: (l) => lines.push(l) });
    // 20 warm-up requests reached a backend, but only the 40 measured ones are journaled.
    expect(result.journal.records).toHaveLength(40);
    expect(backendHits - before).toBe(60);
    expect(lines.findIndex((l) => /warm-up: 20 requests, 0 failed/.test(l))).toBeLessThan(lines.findIndex((l) => /phase: load/.test(l)));
    expect(result.passed).toBe(true);
  }, 20_000);

  it('rejects a selector that matches nothing before sending any load', async () => {
    const before = backendHits;
    const scenario = parseScenario({
      name: 'mini-typo',
      load: { rate: 20, duration: '2s' },
      steps: [{ name: 'x', at: '1s', fault: { type: 'down', targets: { zone: 'zone-c' } } }],
      assertions: [{ error_rate: { max: 0 } }],
    });
    await expect(runScenario(scenario, target())).rejects.toThrow(FaultError);
    await expect(runScenario(scenario, target())).rejects.toThrow(/step "x": zone=zone-c matches no proxy \(have: catalog-zone-a-1, catalog-zone-b-1\)/);
    expect(backendHits).toBe(before);
  });

  it('a kill step needs process control', async () => {
    const scenario = parseScenario({
      name: 'mini-kill',
      load: { rate: 20, duration: '2s' },
      steps: [{ name: 'k', at: '1s', fault: { type: 'kill', targets: { instance: 'catalog-zone-a-1' } } }],
      assertions: [{ error_rate: { max: 0 } }],
    });
    await expect(runScenario(scenario, target())).rejects.toThrow(/kill needs control of the mesh processes/);
  });
});
