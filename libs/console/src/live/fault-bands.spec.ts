import { describe, expect, it } from 'vitest';
import { faultLabel, FaultBands } from './fault-bands.js';
import type { MeshSample } from './mesh-sample.js';

const sample = (proxies: MeshSample['proxies'], processes?: MeshSample['processes']): MeshSample => ({
  t: 0,
  views: [],
  latency: new Map(),
  proxies,
  registries: {},
  processes,
});

describe('fault bands', () => {
  it('names what the mesh shows broken, grouped by zone and service, whoever broke it', () => {
    const label = faultLabel(
      sample(
        {
          'catalog-zone-a-1': { enabled: false, toxics: [] },
          'catalog-zone-a-2': { enabled: false, toxics: [] },
          'pricing-v2-zone-b-1': { enabled: true, toxics: ['latency'] },
          'inventory-zone-b-1': { enabled: true, toxics: [] },
        },
        { 'catalog-zone-b-1': 'exited', 'catalog-zone-b-2': 'running' },
      ),
    );
    expect(label).toBe('crashed: zone-b catalog · down: zone-a catalog x2 · latency: zone-b pricing-v2');
    expect(faultLabel(sample({ 'catalog-zone-a-1': { enabled: true, toxics: [] } }))).toBeUndefined();
  });

  it('names a down health proxy apart from a down instance: the instance still serves', () => {
    const label = faultLabel(sample({ 'inventory-zone-a-1-health': { enabled: false, toxics: [] }, 'inventory-zone-a-2': { enabled: false, toxics: [] } }));
    expect(label).toBe('down: zone-a inventory, zone-a inventory health');
  });

  it('opens a band when a fault appears, starts a new one when it changes, closes it when healed', () => {
    const bands = new FaultBands(60_000);
    bands.observe(1000, undefined);
    bands.observe(2000, 'down: zone-a catalog x2');
    bands.observe(3000, 'down: zone-a catalog x2');
    bands.observe(4000, 'down: zone-a catalog x2 · latency: zone-b pricing');
    bands.observe(5000, undefined);
    expect(bands.list()).toEqual([
      { from: 2000, to: 4000, label: 'down: zone-a catalog x2' },
      { from: 4000, to: 5000, label: 'down: zone-a catalog x2 · latency: zone-b pricing' },
    ]);
  });

  it('forgets bands that ended before the kept history', () => {
    const bands = new FaultBands(10_000);
    bands.observe(0, 'down: x');
    bands.observe(1000, undefined);
    bands.observe(20_000, 'down: y');
    expect(bands.list().map((b) => b.label)).toEqual(['down: y']);
  });
});
