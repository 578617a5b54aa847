/** A sample stream as the Prometheus HTTP API returns it (matrix or vector). */
export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values?: readonly (readonly [number, string])[];
  readonly value?: readonly [number, string];
}

export interface ActiveTarget {
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}

interface ApiReply<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
}

/** A thin client of the Prometheus HTTP API (v1) for the few endpoints the check needs. */
export class PrometheusApi {
  constructor(private readonly url: string) {}

  private async get<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) query.append(key, v);
    const response = await fetch(`${this.url}${path}?${query}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as ApiReply<T>;
    if (body.status !== 'success' || body.data === undefined) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body.data;
  }

  async targets(): Promise<readonly ActiveTarget[]> {
    return (await this.get<{ activeTargets: ActiveTarget[] }>('/api/v1/targets', { state: 'active' })).activeTargets;
  }

  /** Instant query at `time` (unix seconds). */
  async query(expr: string, time: number): Promise<readonly PromSeries[]> {
    return (await this.get<{ result: PromSeries[] }>('/api/v1/query', { query: expr, time: String(time) })).result;
  }

  async queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<readonly PromSeries[]> {
    return (
      await this.get<{ result: PromSeries[] }>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: `${stepSeconds}s` })
    ).result;
  }

  /** `label_values(metric, label)` as Grafana computes it. */
  labelValues(label: string, match: string, start: number, end: number): Promise<readonly string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': match, start: String(start), end: String(end) });
  }
}

/** Series with at least one finite sample: NaN-only series (a quantile of nothing) are not data. */
export function seriesWithData(result: readonly PromSeries[]): number {
  const finite = (v: string) => Number.isFinite(Number(v));
  return result.filter((s) => (s.values ?? (s.value ? [s.value] : [])).some(([, v]) => finite(v))).length;
}
