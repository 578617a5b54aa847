import { describe, expect, it } from 'vitest';
import type * as Wire from '../web/wire.js';
import type { ConsoleFault } from './actions/fault-desk.js';
import type { ScenarioRun } from './actions/scenario-desk.js';
import type { LiveTick } from './live/live-feed.js';
import type { MeshSample } from './live/mesh-sample.js';
import { tileState } from './live/tile-state.js';

// The page compiles apart from the server (browser vs Node), so it declares
// what it reads in web/wire.ts. These assignments fail `npm run typecheck`
// when the server's types drift from what the page expects.
const asWireTick = (tick: LiveTick & { faults: readonly ConsoleFault[] }): Wire.LiveTick => tick;
const asWireRun = (run: ScenarioRun): Wire.ScenarioRun => run;

describe('what the server sends is what the page reads', () => {
  it('a tile of a crashed, disabled, ejected instance reaches the page with its badges worst first', () => {
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
    const tick = asWireTick({ t: 1000, tiles: [tile], traffic: [], bands: [], callers: ['gateway'], faults: [] });
    expect(tick.tiles[0]!.badges).toEqual(['crashed', 'disabled', 'ejected', 'unhealthy', 'cached', 'deregistered']);
    expect(tick.tiles[0]!.beliefs[0]).toMatchObject({ caller: 'gateway', reason: 'consecutive_local_origin_failure', ejectionCount: 2, cachedForMs: 8000 });
    expect(asWireRun({ scenario: 'zone-outage', short: true, startedAt: 0, state: 'passed', progress: '' }).state).toBe('passed');
  });
});
