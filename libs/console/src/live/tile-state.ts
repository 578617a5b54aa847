import type { TopologyProcess } from '../console-options.js';
import type { CallerBelief, TileBadge, TileState } from '../wire.js';
import type { MeshSample } from './mesh-sample.js';

/** Badges a tile can show, worst first. */
export const TILE_BADGES: readonly TileBadge[] = ['crashed', 'disabled', 'ejected', 'unhealthy', 'cached', 'toxic', 'draining', 'deregistered', 'healthy'];

/**
 * One tile's state from every source at once: the process (when the console
 * runs the mesh), its fault proxy, each registry, and each caller's LB view
 * of it. Badges say what any source reports, so "ejected by the gateway" and
 * "proxy disabled" show together; `healthy` only when nothing is wrong.
 */
export function tileState(process: TopologyProcess, sample: MeshSample): TileState {
  const badges = new Set<TileBadge>();
  const proc = sample.processes?.[process.name];
  if (proc === 'exited') badges.add('crashed');
  const proxy = process.proxy ? sample.proxies?.[process.proxy] : undefined;
  if (proxy && !proxy.enabled) badges.add('disabled');
  if (proxy && proxy.toxics.length > 0) badges.add('toxic');

  const beliefs: CallerBelief[] = [];
  for (const view of sample.views) {
    for (const cluster of view.clusters) {
      for (const e of cluster.endpoints) {
        if (e.id !== process.name) continue;
        const cachedForMs = e.failedInstanceUntil ? Date.parse(e.failedInstanceUntil) - sample.t : undefined;
        const belief: CallerBelief = {
          caller: view.caller,
          cluster: cluster.cluster,
          state: e.state,
          health: e.health,
          serving: e.serving,
          ejected: e.outlier?.ejected === true,
          ...(e.outlier?.reason ? { reason: e.outlier.reason } : {}),
          ...(e.outlier?.ejectionCount ? { ejectionCount: e.outlier.ejectionCount } : {}),
          ...(cachedForMs !== undefined && cachedForMs > 0 ? { cachedForMs } : {}),
          ...(e.draining || /drain/i.test(e.state) ? { draining: true } : {}),
        };
        beliefs.push(belief);
        if (belief.ejected) badges.add('ejected');
        if (e.health === 'unhealthy' || e.state === 'TRANSIENT_FAILURE') badges.add('unhealthy');
        if (belief.cachedForMs !== undefined) badges.add('cached');
        if (belief.draining) badges.add('draining');
      }
    }
  }

  const registered: Record<string, string> = {};
  for (const [zone, statuses] of Object.entries(sample.registries)) {
    const status = statuses[process.name];
    if (status) registered[zone] = status;
  }
  const registers = process.kind === 'service' || process.kind === 'legacy';
  if (registers && Object.keys(sample.registries).length > 0 && Object.values(registered).every((s) => s !== 'UP')) badges.add('deregistered');
  if (badges.size === 0) badges.add('healthy');
  return {
    name: process.name,
    badges: TILE_BADGES.filter((b) => badges.has(b)),
    ...(proc ? { process: proc } : {}),
    ...(proxy ? { proxy } : {}),
    registered,
    beliefs,
  };
}
