import { fetchJson } from '../live/fetch-json.js';
import type { PanelData, PreviewPanel } from '../wire.js';

interface PromMatrix {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[] };
}

/** `{{cluster}} {{zone}}` filled from a series' labels, as Grafana renders legendFormat. */
export function legendFor(format: string | undefined, metric: Readonly<Record<string, string>>): string {
  if (!format) {
    const labels = Object.entries(metric).filter(([k]) => k !== '__name__');
    return labels.length ? `{${labels.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : (metric.__name__ ?? 'value');
  }
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => metric[name] ?? '');
}

/**
 * Runs a panel's queries over the last `rangeSec` against Prometheus's HTTP
 * API, with the same expressions Grafana would send, and aligns every series
 * on one time axis of `stepSec`.
 */
export async function panelData(prometheusUrl: string, panel: PreviewPanel, rangeSec: number, stepSec: number, now = Date.now()): Promise<PanelData> {
  const end = Math.floor(now / 1000 / stepSec) * stepSec;
  const start = end - rangeSec;
  const times: number[] = [];
  for (let t = start; t <= end; t += stepSec) times.push(t);
  const series: { label: string; values: (number | null)[] }[] = [];
  const errors: string[] = [];
  for (const query of panel.queries) {
    const params = new URLSearchParams({ query: query.expr, start: String(start), end: String(end), step: String(stepSec) });
    const answer = (await fetchJson(`${prometheusUrl}/api/v1/query_range?${params}`, 5_000)) as PromMatrix | undefined;
    if (!answer || answer.status !== 'success' || !answer.data) {
      errors.push(answer?.error ?? `Prometheus did not answer ${query.expr}`);
      continue;
    }
    for (const result of answer.data.result) {
      const byTime = new Map((result.values ?? []).map(([t, v]) => [t, Number(v)]));
      series.push({ label: legendFor(query.legend, result.metric), values: times.map((t) => byTime.get(t) ?? null) });
    }
  }
  return { times, series, errors };
}
