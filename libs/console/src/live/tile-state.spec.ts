import { describe, expect, it } from 'vitest';
import type { MeshSample } from './mesh-sample.js';
import { tileState } from './tile-state.js';

describe('tile state', () => {
  it('shows what every source says about a crashed, disabled, ejected, cached instance, worst first', () => {
    const sample: MeshSample = {
      t: 1000,
      views: [
        {
          caller: 'gateway',
          clusters: [
            {
              cluster: 'catalog',
              endpoints: [
                {
                  id: 'catalog-zone-a-1',
                  state: 'TRANSIENT_FAILURE',
                  health: 'unhealthy',
                  serving: false,
                  outlier: { ejected: true, reason: 'consecutive_local_origin_failure', ejectionCount: 2 },
                  failedInstanceUntil: new Date(9000).toISOString(),
                  picks: 0,
                  succeeded: 0,
                  failed: 3,
                  inFlight: 0,
                },
              ],
            },
          ],
        },
      ],
      latency: new Map(),
      proxies: { 'catalog-zone-a-1': { enabled: false, toxics: [] } },
      registries: { 'zone-a': {} },
      processes: { 'catalog-zone-a-1': 'exited' },
    };
    const tile = tileState({ name: 'catalog-zone-a-1', kind: 'service', service: 'catalog', zone: 'zone-a', url: '-', proxy: 'catalog-zone-a-1' }, sample);
    expect(tile.badges).toEqual(['crashed', 'disabled', 'ejected', 'unhealthy', 'cached', 'deregistered']);
    expect(tile.beliefs[0]).toMatchObject({ caller: 'gateway', reason: 'consecutive_local_origin_failure', ejectionCount: 2, cachedForMs: 8000 });
  });

  it('is healthy only when no source reports a problem; a standby endpoint of the other zone is not one', () => {
    const sample: MeshSample = {
      t: 0,
      views: [{ caller: 'gateway', clusters: [{ cluster: 'catalog', endpoints: [{ id: 'catalog-zone-b-1', state: 'READY', health: 'healthy', serving: false, picks: 0, succeeded: 0, failed: 0, inFlight: 0 }] }] }],
      latency: new Map(),
      proxies: { 'catalog-zone-b-1': { enabled: true, toxics: [] } },
      registries: { 'zone-a': { 'catalog-zone-b-1': 'UP' } },
      processes: { 'catalog-zone-b-1': 'running' },
    };
    const tile = tileState({ name: 'catalog-zone-b-1', kind: 'service', service: 'catalog', zone: 'zone-b', url: '-', proxy: 'catalog-zone-b-1' }, sample);
    expect(tile.badges).toEqual(['healthy']);
  });
});
