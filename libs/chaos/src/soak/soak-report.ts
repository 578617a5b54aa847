import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isError, type RequestRecord } from '../load/request-record.js';
import { escapeXml as esc, renderChart, type Band, type Series } from '../report/svg-chart.js';
import type { FaultWindow, ProcessSample, SoakScenarioRun } from './soak-sample.js';
import type { SoakVerdict } from './soak-verdict.js';

/** A process's samples, column by column (an hour at 1 Hz for 25 processes stays a few MB of JSON). */
export interface SampleColumns {
  readonly t: number[];
  readonly pid: number[];
  readonly rssBytes: number[];
  readonly fds: number[];
  readonly heapUsedBytes: (number | null)[];
  readonly eventLoopP99Ms: (number | null)[];
  readonly activeHandles: (number | null)[];
}

/** The background load per slice of the soak. */
export interface LoadSlice {
  readonly t: number;
  readonly requests: number;
  readonly errors: number;
  readonly p99Ms: number | null;
}

/** Everything a soak saw; the JSON report is this object. */
export interface SoakReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly settings: Readonly<Record<string, string | number>>;
  readonly mesh: string;
  readonly verdict: SoakVerdict;
  readonly scenarios: readonly SoakScenarioRun[];
  readonly windows: readonly FaultWindow[];
  readonly load: { readonly sliceMs: number; readonly slices: readonly LoadSlice[] };
  readonly processes: Readonly<Record<string, SampleColumns>>;
}

export function sampleColumns(samples: readonly ProcessSample[]): Record<string, SampleColumns> {
  const out: Record<string, SampleColumns> = {};
  for (const s of [...samples].sort((a, b) => a.t - b.t)) {
    const c = (out[s.name] ??= { t: [], pid: [], rssBytes: [], fds: [], heapUsedBytes: [], eventLoopP99Ms: [], activeHandles: [] });
    c.t.push(s.t);
    c.pid.push(s.pid);
    c.rssBytes.push(s.rssBytes);
    c.fds.push(s.fds);
    c.heapUsedBytes.push(s.heapUsedBytes ?? null);
    c.eventLoopP99Ms.push(s.eventLoopP99Ms ?? null);
    c.activeHandles.push(s.activeHandles ?? null);
  }
  return out;
}

export function loadSlices(records: readonly RequestRecord[], durationMs: number, sliceMs: number): LoadSlice[] {
  const n = Math.max(1, Math.ceil(durationMs / sliceMs));
  const latencies: number[][] = Array.from({ length: n }, () => []);
  const errors = new Array<number>(n).fill(0);
  for (const r of records) {
    const i = Math.min(n - 1, Math.max(0, Math.floor(r.t / sliceMs)));
    latencies[i]!.push(r.latencyMs);
    if (isError(r)) errors[i]!++;
  }
  return latencies.map((l, i) => {
    const sorted = l.sort((a, b) => a - b);
    return { t: i * sliceMs, requests: l.length, errors: errors[i]!, p99Ms: sorted.length ? sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)]! : null };
  });
}

const MAX_POINTS = 400;

/** At most MAX_POINTS points per line (the mean of each run of samples): the chart stays small, a trend stays visible. */
function thin(t: readonly number[], v: readonly (number | null)[], scale: number): [number, number | null][] {
  const per = Math.max(1, Math.ceil(t.length / MAX_POINTS));
  const out: [number, number | null][] = [];
  for (let i = 0; i < t.length; i += per) {
    const vs = v.slice(i, i + per).filter((x): x is number => x !== null);
    out.push([t[i]!, vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length / scale : null]);
  }
  return out;
}

const MB = 1024 * 1024;
const fmtPct = (r: number | null) => (r === null ? '-' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`);
const fmtMb = (b: number | null) => (b === null ? '-' : (b / MB).toFixed(1));
const fmtN = (n: number | null, digits = 0) => (n === null ? '-' : n.toFixed(digits));

/**
 * The soak's HTML report: one self-contained file (inline CSS and SVG). The
 * verdict and its reasons, a row per process (RSS and fds q2 -> q4, peaks),
 * the background load with every fault window shaded, then three charts per
 * process: memory (RSS, heap), fds and active handles, event-loop delay p99.
 */
export function renderSoakHtml(report: SoakReport): string {
  const { verdict } = report;
  const bands: Band[] = report.windows.map((w) => ({ from: w.from, to: w.to, label: w.label }));
  const xMax = report.durationMs;
  const quarterBands: Band[] = [
    { from: verdict.quarters.q2[0], to: verdict.quarters.q2[1], label: 'q2' },
    { from: verdict.quarters.q4[0], to: verdict.quarters.q4[1], label: 'q4' },
  ];
  const half = report.load.sliceMs / 2;
  const loadCharts = [
    renderChart({
      id: 'chart-load',
      title: 'background load',
      unit: 'requests/s',
      xMax,
      bands,
      series: [
        { name: 'rps', color: '#264653', points: report.load.slices.map((s) => [s.t + half, (s.requests * 1000) / report.load.sliceMs] as const) },
        { name: 'errors/s', color: '#d62828', points: report.load.slices.map((s) => [s.t + half, (s.errors * 1000) / report.load.sliceMs] as const) },
      ],
    }),
    renderChart({ id: 'chart-load-p99', title: 'background load p99', unit: 'ms', xMax, bands, series: [{ name: 'p99', color: '#8338ec', points: report.load.slices.map((s) => [s.t + half, s.p99Ms] as const) }] }),
  ];
  const processCharts = Object.entries(report.processes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => {
      const id = name.replace(/[^a-zA-Z0-9-]/g, '_');
      const series = (label: string, color: string, v: readonly (number | null)[], scale = 1, dashed = false): Series => ({ name: label, color, points: thin(c.t, v, scale), ...(dashed ? { dashed } : {}) });
      return `<h3 id="process-${esc(id)}">${esc(name)}</h3>
${renderChart({ id: `chart-${id}-memory`, title: `${name}: memory`, unit: 'MB', xMax, bands: quarterBands, series: [series('RSS', '#264653', c.rssBytes, MB), series('heap used', '#2a9d8f', c.heapUsedBytes, MB, true)] })}
${renderChart({ id: `chart-${id}-handles`, title: `${name}: open fds, active handles`, unit: 'count', xMax, bands: quarterBands, series: [series('open fds', '#e76f51', c.fds), series('active handles', '#3a86ff', c.activeHandles, 1, true)] })}
${renderChart({ id: `chart-${id}-eventloop`, title: `${name}: event-loop delay p99`, unit: 'ms', xMax, bands, series: [series('el p99', '#8338ec', c.eventLoopP99Ms)] })}`;
    });
  const rows = verdict.processes
    .map(
      (p) =>
        `<tr class="${p.passed ? 'pass' : 'fail'}"><td>${p.passed ? 'PASS' : 'FAIL'}</td><td><a href="#process-${esc(p.name.replace(/[^a-zA-Z0-9-]/g, '_'))}">${esc(p.name)}</a></td><td class="num">${p.samples}</td><td class="num">${p.restarts}</td><td class="num">${fmtMb(p.rssQ2Bytes)} → ${fmtMb(p.rssQ4Bytes)}</td><td class="num">${fmtPct(p.rssGrowth)}</td><td class="num">${fmtN(p.fdsQ2, 1)} → ${fmtN(p.fdsQ4, 1)}</td><td class="num">${fmtPct(p.fdGrowth)}</td><td class="num">${fmtMb(p.maxHeapUsedBytes)}</td><td class="num">${fmtN(p.maxEventLoopP99Ms, 1)}</td><td class="num">${fmtN(p.maxActiveHandles)}</td></tr>`,
    )
    .join('');
  const scenarios = report.scenarios
    .map(
      (s) =>
        `<tr class="${s.passed ? 'pass' : s.inconclusive ? 'skip' : 'fail'}"><td>${s.passed ? 'PASS' : s.inconclusive ? 'INCONCLUSIVE' : 'FAIL'}</td><td>${esc(s.name)}</td><td class="num">${(s.startMs / 1000).toFixed(1)} s</td><td class="num">${(s.endMs / 1000).toFixed(1)} s</td><td>${esc(s.failures.join('; '))}</td><td>${esc(s.report ?? '')}</td></tr>`,
    )
    .join('');
  const r = verdict.requests;
  const lost = r.lostExamples.map((x) => `<li><code>${(x.t / 1000).toFixed(2)}s</code> status ${x.status}${x.error ? ` (${esc(x.error)})` : ''}, ${x.latencyMs} ms</li>`).join('');
  const settings = Object.entries(report.settings).map(([k, v]) => `${esc(k)} <b>${esc(String(v))}</b>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>soak ${esc(report.startedAt)} — zonemesh soak report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
h1{margin:0 0 4px}.verdict{font-weight:bold;padding:2px 8px;border-radius:4px;color:#fff}
.verdict.pass{background:#2a9d8f}.verdict.fail{background:#d62828}
table{border-collapse:collapse;width:100%;margin:8px 0 20px}td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.pass td:first-child{color:#2a9d8f;font-weight:bold}tr.fail td:first-child{color:#d62828;font-weight:bold}tr.skip td:first-child{color:#e9c46a;font-weight:bold}.num{text-align:right;white-space:nowrap}
svg.chart{display:block;margin:6px 0 14px}.meta{color:#555}
</style></head><body>
<h1>soak <span class="verdict ${verdict.passed ? 'pass' : 'fail'}" id="verdict">${verdict.passed ? 'PASSED' : 'FAILED'}</span></h1>
<p class="meta">started ${esc(report.startedAt)} · ${(report.durationMs / 1000).toFixed(0)} s, warm-up ${(report.warmupMs / 1000).toFixed(0)} s · ${esc(report.mesh)} · ${settings}</p>
<ul id="reasons">${verdict.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>
<p id="requests">background load: ${r.total} requests, <b>${r.lost} lost</b> (${r.lostNoAnswer} without an answer before the deadline, ${r.lostErrors} errors outside fault windows); ${r.errorsInWindows} errors inside fault windows (expected; bounded by each scenario's own assertions).</p>
<h2>Processes</h2>
<p class="meta">Medians of the second quarter (q2) and the last quarter (q4) of the run after the warm-up; a restarted process's first minutes are skipped as a warm-up of its own.</p>
<table id="processes"><thead><tr><th>result</th><th>process</th><th>samples</th><th>restarts</th><th>RSS q2 → q4 (MB)</th><th>RSS</th><th>fds q2 → q4</th><th>fds</th><th>max heap (MB)</th><th>max el p99 (ms)</th><th>max handles</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Scenarios</h2>
<table id="scenarios"><thead><tr><th>result</th><th>scenario</th><th>from</th><th>to</th><th>failed assertions</th><th>report</th></tr></thead><tbody>${scenarios}</tbody></table>
<h2>Background load</h2>
${loadCharts.join('\n')}
${lost ? `<h3>Lost requests (first ${r.lostExamples.length})</h3><ul id="lost">${lost}</ul>` : ''}
<h2>Per process</h2>
${processCharts.join('\n')}
</body></html>
`;
}

export function soakBaseName(startedAt: string): string {
  return `soak-${startedAt.replace(/[:.]/g, '-')}`;
}

/** Writes `<dir>/soak-<time>.json` and `.html`. */
export async function writeSoakReports(report: SoakReport, dir: string): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, soakBaseName(report.startedAt));
  const paths = { json: `${base}.json`, html: `${base}.html` };
  await writeFile(paths.json, `${JSON.stringify(report)}\n`);
  await writeFile(paths.html, renderSoakHtml(report));
  return paths;
}
