import type uPlotClass from 'uplot';
import { getJson } from './console-api.js';
import { h } from './dom.js';
import type { PanelData, PreviewDashboard, PreviewPanel, TopologyAnswer } from '../src/wire.js';

const COLORS = ['#2f7ed8', '#e8a33d', '#5bb55b', '#d9534f', '#9b59b6', '#16a2b8', '#8d6e63', '#e83e8c'];

/**
 * Each shipped Grafana dashboard's panels drawn from the live Prometheus with
 * the dashboard's own queries, for machines where no Grafana runs.
 */
export class DashboardsView {
  constructor(
    private readonly root: HTMLElement,
    private readonly topology: TopologyAnswer,
  ) {
    this.renderPicker();
  }

  private renderPicker(): void {
    const { dashboards, prometheus, dashboardsError } = this.topology;
    if (dashboardsError) return this.root.replaceChildren(h('p', { class: 'error' }, dashboardsError));
    if (!prometheus) {
      return this.root.replaceChildren(
        h('p', {}, 'No Prometheus runs with this mesh. Start it with ', h('code', {}, 'zonemesh up --prometheus'), ' to preview the Grafana dashboards here.'),
      );
    }
    const body = h('div', { class: 'dashboard' });
    const picker = h(
      'nav',
      { class: 'dashboard-picker' },
      dashboards.map((d) => h('button', { 'data-uid': d.uid, onclick: () => void this.show(d.uid, body) }, d.title)),
    );
    this.root.replaceChildren(picker, body);
  }

  async show(uid: string, body: HTMLElement): Promise<void> {
    for (const b of this.root.querySelectorAll<HTMLButtonElement>('.dashboard-picker button')) b.classList.toggle('active', b.dataset.uid === uid);
    const dashboard = await getJson<PreviewDashboard>(`/console/api/dashboards/${uid}`);
    const byId = new Map(dashboard.panels.map((p) => [p.id, p]));
    body.replaceChildren(
      h('h2', {}, dashboard.title),
      ...(dashboard.description ? [h('p', { class: 'muted' }, dashboard.description)] : []),
      ...dashboard.rows.flatMap((row) => [
        ...(row.title ? [h('h3', { class: 'row-title' }, row.title)] : []),
        h('div', { class: 'panels' }, row.panelIds.map((id) => this.panel(byId.get(id)!))),
      ]),
    );
    body.dataset.loaded = 'pending';
    await Promise.all([...body.querySelectorAll<HTMLElement>('.panel')].map((el) => this.fill(uid, el, byId.get(Number(el.dataset.panel))!)));
    body.dataset.loaded = uid;
  }

  private panel(p: PreviewPanel): HTMLElement {
    const width = Math.max(25, Math.round((p.width / 24) * 100));
    return h('figure', { class: 'panel', 'data-panel': p.id, style: `flex-basis: calc(${width}% - 12px)`, title: p.description ?? '' }, h('figcaption', {}, p.title));
  }

  private async fill(uid: string, el: HTMLElement, p: PreviewPanel): Promise<void> {
    let data: PanelData;
    try {
      data = await getJson<PanelData>(`/console/api/dashboards/${uid}/panels/${p.id}?minutes=15`);
    } catch (error) {
      el.append(h('p', { class: 'error' }, (error as Error).message));
      return;
    }
    if (data.errors.length) el.append(h('p', { class: 'error' }, data.errors.join('; ')));
    if (data.series.length === 0) {
      el.append(h('p', { class: 'muted' }, 'no data'));
      return;
    }
    if (p.type === 'stat' || p.type === 'gauge') {
      el.append(h('div', { class: 'stats' }, data.series.map((s) => h('div', { class: 'stat' }, h('b', {}, format(last(s.values), p.unit)), h('span', {}, s.label)))));
      return;
    }
    const series = data.series.slice(0, 12);
    const width = Math.max(280, el.clientWidth - 8);
    new uPlot(
      {
        width,
        height: 180,
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, ...(p.stacked ? { fill: `${COLORS[i % COLORS.length]}33` } : {}) }))],
        axes: [{ space: 60 }, { size: 60, values: (_u: uPlotClass, ticks: number[]) => ticks.map((t) => format(t, p.unit)) }],
        legend: { show: true, live: false },
        cursor: { show: false },
      },
      [data.times, ...series.map((s) => s.values)] as unknown as uPlotClass.AlignedData,
      el,
    );
  }
}

function last(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i]!;
  return null;
}

/** Grafana's common units, enough for ours. */
function format(value: number | null, unit: string | undefined): string {
  if (value === null || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'percentunit': {
      const percent = value * 100;
      return `${percent === 0 ? '0' : percent < 1 ? percent.toFixed(2) : percent.toFixed(0)}%`;
    }
    case 's':
      return value < 1 ? `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms` : `${value.toFixed(1)} s`;
    case 'bytes':
      return value > 1e6 ? `${(value / 1e6).toFixed(0)} MB` : `${(value / 1e3).toFixed(0)} kB`;
    case 'reqps':
    case 'ops':
      return `${value < 10 ? value.toFixed(1) : Math.round(value)}/s`;
    default:
      return Math.abs(value) < 10 && value % 1 !== 0 ? value.toFixed(2) : String(Math.round(value));
  }
}
