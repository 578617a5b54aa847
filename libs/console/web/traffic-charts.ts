import type uPlotClass from 'uplot';
import { bandPlugin } from './band-plugin.js';
import { h } from './dom.js';
import type { ClusterTraffic, FaultBand } from '../src/wire.js';

const WINDOW_S = 180;
const ZONE_COLORS = ['#2f7ed8', '#e8a33d', '#5bb55b', '#9b59b6'];

interface ClusterCharts {
  readonly times: number[];
  readonly share: Map<string, (number | null)[]>;
  readonly calls: (number | null)[];
  readonly errors: (number | null)[];
  readonly p50: (number | null)[];
  readonly p99: (number | null)[];
  readonly shareChart: uPlotClass;
  readonly rateChart: uPlotClass;
  readonly latencyChart: uPlotClass;
  readonly summary: HTMLElement;
}

function chart(title: string, series: uPlotClass.Series[], host: HTMLElement, bands: () => readonly FaultBand[], yRange?: [number, number]): uPlotClass {
  const width = Math.max(260, Math.floor((host.clientWidth || 900) / 3) - 16);
  return new uPlot(
    {
      title,
      width,
      height: 150,
      series: [{}, ...series],
      scales: { x: { time: true }, y: yRange ? { range: yRange } : { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{ space: 60 }, { size: 52 }],
      legend: { live: false },
      cursor: { show: false },
      plugins: [bandPlugin(bands)],
    },
    [[], ...series.map(() => [])] as unknown as uPlotClass.AlignedData,
    host,
  );
}

/**
 * Per cluster: the share of picks per zone, calls/s and errors/s, p50/p99,
 * over the last three minutes, with fault windows shaded. Fed one point a
 * tick from the event stream; nothing is polled from the page.
 */
export class TrafficCharts {
  private readonly clusters = new Map<string, ClusterCharts>();
  private bands: readonly FaultBand[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly zones: readonly string[],
  ) {}

  setBands(bands: readonly FaultBand[]): void {
    this.bands = bands;
  }

  add(t: number, traffic: readonly ClusterTraffic[]): void {
    for (const c of traffic) {
      const charts = this.clusters.get(c.cluster) ?? this.create(c.cluster);
      const idle = c.callsPerSec === 0;
      charts.times.push(t / 1000);
      for (const zone of this.zones) charts.share.get(zone)!.push(idle ? null : Math.round((c.zoneShare[zone] ?? 0) * 1000) / 10);
      charts.calls.push(c.callsPerSec);
      charts.errors.push(c.errorsPerSec);
      charts.p50.push(c.p50Ms ?? null);
      charts.p99.push(c.p99Ms ?? null);
      while (charts.times.length > 0 && charts.times[0]! < t / 1000 - WINDOW_S) {
        for (const list of [charts.times, charts.calls, charts.errors, charts.p50, charts.p99, ...charts.share.values()]) list.shift();
      }
      const shares = this.zones.map((z) => `${z} ${idle ? '–' : `${Math.round((c.zoneShare[z] ?? 0) * 100)}%`}`).join(' · ');
      charts.summary.textContent = `${shares} · ${c.callsPerSec.toFixed(1)} calls/s · ${c.errorsPerSec.toFixed(1)} errors/s · p50 ${ms(c.p50Ms)} · p99 ${ms(c.p99Ms)}`;
      charts.summary.dataset.shares = JSON.stringify(idle ? {} : c.zoneShare);
    }
  }

  /** Redraws every chart (once per tick, after add()). */
  draw(): void {
    for (const c of this.clusters.values()) {
      c.shareChart.setData([c.times, ...this.zones.map((z) => c.share.get(z)!)] as unknown as uPlotClass.AlignedData);
      c.rateChart.setData([c.times, c.calls, c.errors] as unknown as uPlotClass.AlignedData);
      c.latencyChart.setData([c.times, c.p50, c.p99] as unknown as uPlotClass.AlignedData);
    }
  }

  private create(cluster: string): ClusterCharts {
    const summary = h('p', { class: 'summary', 'data-cluster': cluster }, 'no calls yet');
    const row = h('div', { class: 'charts' });
    const card = h('section', { class: 'cluster', 'data-cluster': cluster }, h('h3', {}, `${cluster}`), summary, row);
    this.root.append(card);
    const bands = () => this.bands;
    const share = new Map(this.zones.map((z) => [z, [] as (number | null)[]]));
    const charts: ClusterCharts = {
      times: [],
      share,
      calls: [],
      errors: [],
      p50: [],
      p99: [],
      summary,
      shareChart: chart(
        `${cluster}: % of picks by zone`,
        this.zones.map((z, i) => ({ label: z, stroke: ZONE_COLORS[i % ZONE_COLORS.length], width: 2, spanGaps: false })),
        row,
        bands,
        [0, 100],
      ),
      rateChart: chart(
        `${cluster}: calls/s, errors/s`,
        [
          { label: 'calls/s', stroke: '#2f7ed8', width: 2 },
          { label: 'errors/s', stroke: '#d9534f', width: 2 },
        ],
        row,
        bands,
      ),
      latencyChart: chart(
        `${cluster}: p50 / p99 ms`,
        [
          { label: 'p50', stroke: '#5bb55b', width: 2 },
          { label: 'p99', stroke: '#9b59b6', width: 2 },
        ],
        row,
        bands,
      ),
    };
    this.clusters.set(cluster, charts);
    return charts;
  }
}

function ms(value: number | undefined): string {
  return value === undefined ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
