import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './scenario.parser.js';
import { shortenScenario } from './short-form.js';

const DIR = fileURLToPath(new URL('../../../../chaos/scenarios/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('shipped scenarios', () => {
  it('are the seven the issue lists', () => {
    expect(files).toEqual([
      'bandwidth-starved.yaml',
      'flapping-instance.yaml',
      'instance-crash.yaml',
      'partition-reset-peer.yaml',
      'registry-zone-outage.yaml',
      'zone-latency.yaml',
      'zone-outage.yaml',
    ]);
  });

  it.each(files)('%s is valid, 20-40 s long, and 10-15 s with --short', async (file) => {
    const scenario = await loadScenario(`${DIR}${file}`);
    expect(`${scenario.name}.yaml`).toBe(file);
    expect(scenario.load.durationMs).toBeGreaterThanOrEqual(20_000);
    expect(scenario.load.durationMs).toBeLessThanOrEqual(40_000);
    expect(scenario.assertions.length).toBeGreaterThan(0);
    const short = shortenScenario(scenario);
    expect(short.load.durationMs).toBeGreaterThanOrEqual(10_000);
    expect(short.load.durationMs).toBeLessThanOrEqual(15_000);
    // The short form must still be a valid schedule: faults end before the closing steady window.
    const lastEnd = Math.max(...short.steps.map((s) => s.atMs + s.durationMs));
    expect(lastEnd).toBeLessThanOrEqual(short.load.durationMs - (short.steadyState?.windowMs ?? 0));
    expect(short.steps[0]!.atMs).toBeGreaterThanOrEqual(short.steadyState?.windowMs ?? 0);
  });
});
