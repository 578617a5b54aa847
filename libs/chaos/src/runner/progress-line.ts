import { windowStats, zoneShare } from '../measure/window-stats.js';
import type { RequestRecord } from '../load/request-record.js';

/**
 * One terminal line per second:
 * `  12s fault:zone-a-down   rps  50 err  0.0%  catalog a 0% b 100%  p99 45ms`.
 * Zones are shortened to their last part (`zone-b` -> `b`) to fit a line.
 */
export function formatProgress(elapsedMs: number, phase: string, lastSecond: readonly RequestRecord[]): string {
  const stats = windowStats(lastSecond);
  const hops = Object.keys(stats.served).sort();
  const shares = hops
    .map((hop) => {
      const zones = Object.keys(stats.served[hop]!).sort();
      return `${hop} ${zones.map((z) => `${z.replace(/^zone-/, '')} ${Math.round((zoneShare(stats.served, z, hop) ?? 0) * 100)}%`).join(' ')}`;
    })
    .join('  ');
  const p99 = stats.p99Ms === undefined ? '-' : `${Math.round(stats.p99Ms)}ms`;
  return [
    `${String(Math.floor(elapsedMs / 1000)).padStart(4)}s`,
    phase.padEnd(24).slice(0, 24),
    `rps ${String(stats.requests).padStart(4)}`,
    `err ${(stats.errorRate * 100).toFixed(1).padStart(5)}%`,
    `p99 ${p99.padStart(6)}`,
    shares || 'no answers',
  ].join('  ');
}
