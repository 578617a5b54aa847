import { getJson, postJson } from './console-api.js';
import { DashboardsView } from './dashboards-view.js';
import { byId } from './dom.js';
import { FaultList } from './fault-list.js';
import { ScenarioMenu } from './scenario-menu.js';
import { TopologyView, type FaultPress } from './topology-view.js';
import { TrafficCharts } from './traffic-charts.js';
import type { History, LiveTick, ScenarioRun, TopologyAnswer } from '../src/wire.js';

/** One line at the top of the page for what the last action did (or why it was refused). */
function notify(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const el = byId('notice');
  el.textContent = message;
  el.className = kind;
}

async function press(p: FaultPress): Promise<void> {
  try {
    if (p.action === 'heal') {
      const { healed } = await postJson<{ healed: string[] }>('/console/api/heal', { target: p.target });
      notify(healed.length ? `${p.label}: healed ${healed.length} fault(s)` : `${p.label}: no console fault there`);
    } else {
      const fault = await postJson<{ targets: string[] }>('/console/api/faults', { action: p.action, target: p.target });
      notify(`${p.label}: ${fault.targets.join(', ')}`);
    }
  } catch (error) {
    notify(`${p.label}: ${(error as Error).message}`, 'error');
  }
}

function tabs(): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('nav.tabs button')) {
    tab.addEventListener('click', () => {
      for (const t of document.querySelectorAll<HTMLButtonElement>('nav.tabs button')) t.classList.toggle('active', t === tab);
      for (const view of document.querySelectorAll<HTMLElement>('main > section.view')) view.hidden = view.id !== tab.dataset.view;
    });
  }
}

async function main(): Promise<void> {
  tabs();
  const topology = await getJson<TopologyAnswer>('/console/api/topology');
  byId('mesh').textContent = `gateway ${topology.gatewayUrl} · fault proxy ${topology.toxiproxyUrl}`;
  const view = new TopologyView(byId('topology'), topology, (p) => void press(p));
  const charts = new TrafficCharts(byId('traffic'), topology.zones);
  const faults = new FaultList(byId('faults'), (id) =>
    void postJson('/console/api/heal', { id }).then(
      () => notify(`healed ${id}`),
      (e: Error) => notify(e.message, 'error'),
    ),
  );
  byId('heal-all').addEventListener('click', () => void press({ action: 'heal', target: {}, label: 'heal all' }));
  const menu = new ScenarioMenu(byId('scenarios'), topology.scenarios, (m) => notify(m, 'error'));
  new DashboardsView(byId('dashboards'), topology);

  // One event stream carries everything live; the browser reconnects by itself.
  const events = new EventSource('/console/api/events');
  const live = byId('live-state');
  events.onopen = () => {
    live.textContent = 'live';
    live.className = 'live';
  };
  events.onerror = () => {
    live.textContent = 'reconnecting…';
    live.className = 'stale';
  };
  events.addEventListener('history', (e) => {
    const history = JSON.parse((e as MessageEvent<string>).data) as History;
    charts.setBands(history.bands);
    for (const point of history.past) charts.add(point.t, point.traffic);
    charts.draw();
  });
  // Ticks are applied at most once per frame: a page that falls behind skips drawing, never data.
  let pending: LiveTick[] = [];
  const apply = () => {
    const ticks = pending;
    pending = [];
    for (const tick of ticks) charts.add(tick.t, tick.traffic);
    const tick = ticks.at(-1)!;
    view.update(tick.tiles);
    charts.setBands(tick.bands);
    charts.draw();
    faults.update(tick.faults ?? [], tick.bands);
    document.body.dataset.tick = String(tick.t);
  };
  events.addEventListener('tick', (e) => {
    if (pending.length === 0) requestAnimationFrame(apply);
    pending.push(JSON.parse((e as MessageEvent<string>).data) as LiveTick);
  });
  events.addEventListener('scenario', (e) => menu.show(JSON.parse((e as MessageEvent<string>).data) as ScenarioRun));
}

main().catch((error: unknown) => notify(`console failed to start: ${(error as Error).message}`, 'error'));
