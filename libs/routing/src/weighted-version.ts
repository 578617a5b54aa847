import type { VersionWeight } from './route.config.js';

/**
 * Picks a version by weight from a uniform number in [0, 1): cumulative
 * weights are computed once, so a pick is a short scan with no allocation.
 * Versions with weight 0 are never picked.
 */
export class WeightedVersion {
  readonly versions: readonly string[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly VersionWeight[]) {
    const live = weights.filter((w) => w.weight > 0);
    if (live.length === 0) throw new Error('at least one weight must be above 0');
    this.versions = live.map((w) => w.version);
    this.cumulative = new Float64Array(live.length);
    let sum = 0;
    live.forEach((w, i) => (this.cumulative[i] = sum += w.weight));
    this.total = sum;
  }

  pick(random: number): string {
    const versions = this.versions;
    if (versions.length === 1) return versions[0]!;
    const point = random * this.total;
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length - 1; i++) if (point < cumulative[i]!) return versions[i]!;
    return versions[versions.length - 1]!;
  }
}
