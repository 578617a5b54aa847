/** Cumulative bucket counts of one histogram: upper bound (seconds) -> count, plus the total. */
export interface Histogram {
  readonly buckets: ReadonlyMap<number, number>;
  readonly count: number;
}

const BUCKET = /^(\w+)_bucket\{([^}]*)\}\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * Sums the `<metric>_bucket` series of a Prometheus text exposition by the
 * value of one label (`cluster`), over every other label: the calls of all
 * callers of a cluster in one histogram.
 */
export function sumHistograms(texts: readonly string[], metric: string, byLabel: string): Map<string, Histogram> {
  const sums = new Map<string, Map<number, number>>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.startsWith(metric)) continue;
      const m = BUCKET.exec(line);
      if (!m || m[1] !== metric) continue;
      let key: string | undefined;
      let le: number | undefined;
      for (const [, name, value] of m[2]!.matchAll(LABEL)) {
        if (name === byLabel) key = value;
        if (name === 'le') le = value === '+Inf' ? Infinity : Number(value);
      }
      if (key === undefined || le === undefined || Number.isNaN(le)) continue;
      const buckets = sums.get(key) ?? new Map<number, number>();
      buckets.set(le, (buckets.get(le) ?? 0) + Number(m[3]));
      sums.set(key, buckets);
    }
  }
  return new Map([...sums].map(([key, buckets]) => [key, { buckets, count: buckets.get(Infinity) ?? 0 }]));
}

/** The calls between two scrapes of a histogram (counter resets clamp to zero). */
export function histogramDelta(now: Histogram, before: Histogram | undefined): Histogram {
  if (!before) return now;
  const buckets = new Map<number, number>();
  for (const [le, count] of now.buckets) buckets.set(le, Math.max(0, count - (before.buckets.get(le) ?? 0)));
  return { buckets, count: Math.max(0, now.count - before.count) };
}

/**
 * The q-quantile in milliseconds, interpolated inside its bucket as
 * Prometheus' histogram_quantile does; undefined without calls. A quantile in
 * the +Inf bucket reports the highest finite bound.
 */
export function quantileMs(histogram: Histogram, q: number): number | undefined {
  if (histogram.count === 0) return undefined;
  const bounds = [...histogram.buckets.keys()].sort((a, b) => a - b);
  const rank = q * histogram.count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const le of bounds) {
    const count = histogram.buckets.get(le)!;
    if (count >= rank) {
      if (le === Infinity) return lowerBound * 1000;
      const inBucket = count - lowerCount;
      const fraction = inBucket === 0 ? 1 : (rank - lowerCount) / inBucket;
      return (lowerBound + (le - lowerBound) * fraction) * 1000;
    }
    lowerBound = le;
    lowerCount = count;
  }
  return lowerBound * 1000;
}
