import type { AssertionResult, Journal } from '../journal.js';
import { zoneShare } from '../measure/window-stats.js';
import { describeLoad } from '../scenario/describe-load.js';
import { escapeXml as esc, renderChart, type Band, type Series } from './svg-chart.js';

const ZONE_COLORS = ['#2a9d8f', '#e76f51', '#264653', '#e9c46a', '#8338ec', '#3a86ff'];

function formatValue(r: AssertionResult): string {
  if (r.value === null) return 'never';
  if (r.unit === 'ms') return `${Math.round(r.value)} ms`;
  if (r.unit === 'ratio') return r.value.toFixed(3);
  return String(r.value);
}

function assertionRows(results: readonly AssertionResult[]): string {
  return results
    .map(
      (r) =>
        `<tr class="${r.passed ? 'pass' : 'fail'}"><td>${r.passed ? 'PASS' : 'FAIL'}</td><td>${esc(r.phase)}</td><td>${esc(r.name)}</td><td class="num">${esc(formatValue(r))}</td><td>${esc(r.threshold)}</td><td class="num">${r.reachedAtMs !== undefined ? `${(r.reachedAtMs / 1000).toFixed(2)} s` : '-'}</td><td>${esc(r.source ?? '')}</td><td>${esc(r.detail)}</td></tr>`,
    )
    .join('');
}

/** Zones seen per hop across the run, sorted, so each zone keeps one colour in every chart. */
function zonesByHop(journal: Journal): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const b of journal.buckets) for (const [hop, zones] of Object.entries(b.served)) for (const z of Object.keys(zones)) (map.get(hop) ?? map.set(hop, new Set()).get(hop)!).add(z);
  return new Map([...map].sort(([a], [b]) => a.localeCompare(b)).map(([hop, zones]) => [hop, [...zones].sort()]));
}

/**
 * The HTML report: one self-contained file (inline CSS and SVG, nothing
 * fetched) with timeline charts of rps, errors, p99 and per-zone traffic
 * share — fault windows shaded — and the table of every assertion.
 */
export function renderHtmlReport(journal: Journal): string {
  const bands: Band[] = journal.steps.map((s) => ({ from: s.startMs, to: s.endMs ?? journal.durationMs, label: `${s.name} (${s.type})` }));
  const half = journal.bucketMs / 2;
  const xy = (f: (b: Journal['buckets'][number]) => number | null) => journal.buckets.map((b) => [b.t + half, f(b)] as const);
  const charts = [
    renderChart({ id: 'chart-rps', title: 'throughput', unit: 'requests/s', xMax: journal.durationMs, bands, series: [{ name: 'rps', color: '#264653', points: xy((b) => b.rps) }] }),
    renderChart({
      id: 'chart-errors',
      title: 'errors',
      unit: 'errors/s',
      xMax: journal.durationMs,
      bands,
      series: [{ name: 'errors/s', color: '#d62828', points: xy((b) => (b.errors * 1000) / journal.bucketMs) }],
    }),
    renderChart({
      id: 'chart-latency',
      title: 'latency',
      unit: 'ms',
      xMax: journal.durationMs,
      bands,
      series: [
        { name: 'p99', color: '#8338ec', points: xy((b) => b.p99Ms ?? null) },
        { name: 'p50', color: '#3a86ff', points: xy((b) => b.p50Ms ?? null), dashed: true },
      ],
    }),
  ];
  const allZones = [...new Set([...zonesByHop(journal).values()].flat())].sort();
  const color = (zone: string) => ZONE_COLORS[allZones.indexOf(zone) % ZONE_COLORS.length]!;
  for (const [hop, zones] of zonesByHop(journal)) {
    const series: Series[] = zones.map((zone) => ({ name: zone, color: color(zone), points: xy((b) => zoneShare(b.served, zone, hop) ?? null) }));
    charts.push(renderChart({ id: `chart-share-${hop}`, title: `${hop}: traffic share per zone`, unit: 'share', xMax: journal.durationMs, yMax: 1, bands, series }));
  }

  const results = [...journal.steadyState, ...journal.assertions];
  const verdict = journal.passed ? 'PASSED' : journal.aborted ? `FAILED (${journal.aborted})` : 'FAILED';
  const steps = journal.steps
    .map(
      (s) =>
        `<tr><td>${esc(s.name)}</td><td>${esc(s.type)}</td><td>${esc(s.targets.join(', '))}</td><td class="num">${(s.startMs / 1000).toFixed(2)} s</td><td class="num">${s.endMs !== undefined ? `${(s.endMs / 1000).toFixed(2)} s` : '-'}</td><td>${esc([s.error, ...(s.healErrors ?? [])].filter(Boolean).join('; '))}</td></tr>`,
    )
    .join('');
  const events = journal.events.map((e) => `<li><code>${(e.t / 1000).toFixed(2)}s</code> ${esc(e.kind)}: ${esc(e.message)}</li>`).join('');
  const total = journal.records.length;
  const errors = journal.records.filter((r) => r.status < 200 || r.status >= 400).length;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(journal.scenario.name)} — zonemesh chaos report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
h1{margin:0 0 4px}.verdict{font-weight:bold;padding:2px 8px;border-radius:4px;color:#fff}
.verdict.pass{background:#2a9d8f}.verdict.fail{background:#d62828}
table{border-collapse:collapse;width:100%;margin:8px 0 20px}td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.pass td:first-child{color:#2a9d8f;font-weight:bold}tr.fail td:first-child{color:#d62828;font-weight:bold}.num{text-align:right;white-space:nowrap}
svg.chart{display:block;margin:6px 0 14px}.meta{color:#555}
</style></head><body>
<h1>${esc(journal.scenario.name)} <span class="verdict ${journal.passed ? 'pass' : 'fail'}" id="verdict">${esc(verdict)}</span></h1>
<p>${esc(journal.scenario.description)}</p>
<p class="meta">mode <b>${esc(journal.mode)}</b> · started ${esc(journal.startedAt)} · ${(journal.durationMs / 1000).toFixed(1)} s · ${esc(describeLoad(journal.scenario.load))} · ${total} requests, ${errors} errors · gateway ${esc(journal.target.gatewayUrl)} · toxiproxy ${esc(journal.target.toxiproxyUrl)} · ejection evidence: ${journal.clustersAvailable ? '/admin/clusters' : 'traffic'}</p>
<h2>Assertions</h2>
<table id="assertions"><thead><tr><th>result</th><th>phase</th><th>assertion</th><th>measured</th><th>bound</th><th>reached at</th><th>source</th><th>detail</th></tr></thead><tbody>${assertionRows(results)}</tbody></table>
<h2>Timeline</h2>
${charts.join('\n')}
<h2>Steps</h2>
<table id="steps"><thead><tr><th>step</th><th>fault</th><th>targets</th><th>applied</th><th>healed</th><th>errors</th></tr></thead><tbody>${steps}</tbody></table>
<h2>Events</h2><ul id="events">${events}</ul>
</body></html>
`;
}
