/** The label value every zone beyond the bound is counted under. */
export const OTHER_ZONE = 'other';

/**
 * Zone label values, bounded. Zones come from registry metadata, which anyone
 * who can register writes: left unbounded, 100,000 made-up zones would be
 * 100,000 Prometheus series. Known zones (mesh.yaml's) keep their name; with
 * none given, the first `max` zones seen do; every other zone is `other`.
 */
export class ZoneLabels {
  private readonly kept: Set<string>;
  private readonly fixed: boolean;

  constructor(
    known: readonly string[] = [],
    private readonly max = 16,
  ) {
    this.kept = new Set(['', ...known]);
    this.fixed = known.length > 0;
  }

  label(zone: string | undefined): string {
    const z = zone ?? '';
    if (this.kept.has(z)) return z;
    if (!this.fixed && this.kept.size <= this.max) {
      this.kept.add(z);
      return z;
    }
    return OTHER_ZONE;
  }
}
