import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadScenario } from './scenario.parser.js';
import { shortenScenario } from './short-form.js';

const DIR = fileURLToPath(new URL('../../../../chaos/scenarios/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('shipped scenarios', () => {
  it('are the seven the chaos issue lists, plus registry sync failover (issue 8), the separate health port (issue 14) slow-zone and slow-registry (issue 12)', () => {
    expect(files).toEqual([
      'bandwidth-starved.yaml',
      'flapping-instance.yaml',
      'health-port-down.yaml',
      'instance-crash.yaml',
      'overload.yaml',
      'partition-reset-peer.yaml',
      'registry-sync-failover.yaml',
      'registry-zone-outage.yaml',
      'rolling-restart.yaml',
      'slow-registry.yaml',
      'slow-zone.yaml',
      'zone-latency.yaml',
      'zone-outage-burst.yaml',
      'zone-outage.yaml',
    ]);
  });

  // Restarting 16 processes one wave after another cannot be shortened: each wave waits for a drain and a start.
  const longest = (file: string) => (file === 'rolling-restart.yaml' ? 70_000 : 40_000);

  it.each(files)('%s is valid, 20-40 s long (rolling-restart 70 s), and as long at most with --short', async (file) => {
    const scenario = await loadScenario(`${DIR}${file}`);
    expect(`${scenario.name}.yaml`).toBe(file);
    expect(scenario.load.durationMs).toBeGreaterThanOrEqual(20_000);
    expect(scenario.load.durationMs).toBeLessThanOrEqual(longest(file));
    expect(scenario.assertions.length).toBeGreaterThan(0);
    const short = shortenScenario(scenario);
    expect(short.load.durationMs).toBeGreaterThanOrEqual(10_000);
    expect(short.load.durationMs).toBeLessThanOrEqual(longest(file));
    // The short form must still be a valid schedule: faults end before the closing steady window.
    const lastEnd = Math.max(...short.steps.map((s) => s.atMs + s.durationMs));
    expect(lastEnd).toBeLessThanOrEqual(short.load.durationMs - (short.steadyState?.windowMs ?? 0));
    expect(short.steps[0]!.atMs).toBeGreaterThanOrEqual(short.steadyState?.windowMs ?? 0);
  });

  // Failback is deliberate: an endpoint comes back only failed_instance_ttl after it was last seen failing.
  const ttlMs = Math.max(...meshTtlsMs());

  it.each(files)('%s: failback bounds outlast failed_instance_ttl, and both forms leave room to measure them', async (file) => {
    const scenario = await loadScenario(`${DIR}${file}`);
    for (const form of [scenario, shortenScenario(scenario)]) {
      for (const a of form.assertions) {
        const step = form.steps.find((s) => s.name === ('step' in a ? a.step : undefined));
        if (a.kind === 'failback') {
          expect(a.withinMs, `${a.name}: within`).toBeGreaterThan(ttlMs);
          // Reached within the bound, then still seen holding before the run ends.
          expect(form.load.durationMs - (step!.atMs + step!.durationMs), `${a.name}: recovery phase`).toBeGreaterThanOrEqual(a.withinMs + 1000);
        }
        if (a.kind === 'share' && a.from === 'start') {
          expect(step!.durationMs, `${a.name}: the fault lasts as long as the bound`).toBeGreaterThanOrEqual(a.withinMs);
        }
      }
    }
  });
});

function meshTtlsMs(): number[] {
  const mesh = parse(readFileSync(fileURLToPath(new URL('../../../../mesh.yaml', import.meta.url)), 'utf8')) as {
    clusters: { zone_failover?: { failed_instance_ttl?: string } }[];
  };
  return mesh.clusters.map((c) => {
    const ttl = c.zone_failover?.failed_instance_ttl ?? '20m';
    const m = /^(\d+)(ms|s|m)$/.exec(ttl);
    if (!m) throw new Error(`mesh.yaml: unexpected failed_instance_ttl ${ttl}`);
    return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
  });
}
