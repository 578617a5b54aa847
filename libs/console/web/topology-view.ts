import { h } from './dom.js';
import type { CallerBelief, TileState, TopologyAnswer, TopologyProcess } from '../src/wire.js';

/** What a fault button asks for: the action and its scope. */
export interface FaultPress {
  readonly action: string;
  readonly target: { zone?: string; service?: string; instance?: string };
  /** The button's own name, e.g. `disable zone-a catalog`. */
  readonly label: string;
}

/** Button text -> the server's action name. */
const ACTIONS: readonly [action: string, text: string][] = [
  ['disable', 'disable'],
  ['crash', 'crash'],
  ['latency', '+800ms'],
  ['bandwidth', '1KB/s'],
  ['reset', 'reset'],
];

/** Tiles of one service (and version, when it runs several) in one zone. */
function groupKey(p: TopologyProcess, versioned: ReadonlySet<string>): string {
  return versioned.has(p.service) && p.version ? `${p.service}-${p.version}` : p.service;
}

const KIND_ORDER = ['registry', 'gateway', 'service', 'legacy', 'syncer', 'fault-proxy'];

/**
 * The topology: a column per zone, in it a group per service/version, in it a
 * tile per process. Built once from the topology; `update` then only swaps
 * badges and details, so buttons keep focus and the page does not flicker.
 */
export class TopologyView {
  private readonly tiles = new Map<string, { root: HTMLElement; badges: HTMLElement; details: HTMLElement; last: string }>();

  constructor(
    private readonly root: HTMLElement,
    private readonly topology: TopologyAnswer,
    private readonly press: (p: FaultPress) => void,
  ) {
    this.render();
  }

  private buttons(scope: FaultPress['target'], what: string, withHeal: boolean): HTMLElement {
    const actions = ACTIONS.filter(([a]) => a !== 'crash' || this.topology.canCrash);
    return h(
      'div',
      { class: 'actions' },
      actions.map(([action, text]) =>
        h('button', { class: `fault ${action}`, 'aria-label': `${action} ${what}`, title: `${action} ${what}`, onclick: () => this.press({ action, target: scope, label: `${action} ${what}` }) }, text),
      ),
      withHeal && h('button', { class: 'heal', 'aria-label': `heal ${what}`, title: `heal ${what}`, onclick: () => this.press({ action: 'heal', target: scope, label: `heal ${what}` }) }, 'heal'),
    );
  }

  private render(): void {
    const { processes, zones } = this.topology;
    const versioned = new Set(
      [...new Set(processes.map((p) => p.service))].filter((s) => new Set(processes.filter((p) => p.service === s).map((p) => p.version)).size > 1),
    );
    const columns = [...zones, '-'].map((zone) => {
      const members = processes.filter((p) => p.zone === zone).sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
      if (members.length === 0) return null;
      const groups = new Map<string, TopologyProcess[]>();
      for (const p of members) groups.set(groupKey(p, versioned), [...(groups.get(groupKey(p, versioned)) ?? []), p]);
      const inZone = zone !== '-';
      return h(
        'section',
        { class: 'zone', 'data-zone': zone },
        h('header', {}, h('h2', {}, inZone ? zone : 'outside the zones'), inZone && this.buttons({ zone }, zone, true)),
        [...groups].map(([key, list]) => {
          const faultable = list.some((p) => p.kind === 'service' || p.kind === 'legacy');
          return h(
            'div',
            { class: 'group', 'data-group': key },
            h('header', {}, h('h3', {}, key), faultable && inZone && this.buttons({ zone, service: key }, `${zone} ${key}`, true)),
            h('div', { class: 'tiles' }, list.map((p) => this.tile(p))),
          );
        }),
      );
    });
    this.root.replaceChildren(...columns.filter((c): c is HTMLElement => c !== null));
  }

  private tile(p: TopologyProcess): HTMLElement {
    const badges = h('div', { class: 'badges' }, h('span', { class: 'badge unknown' }, 'waiting'));
    const details = h('ul', { class: 'details' });
    const faultable = p.kind === 'service' || p.kind === 'legacy' || p.kind === 'registry';
    const root = h(
      'article',
      { class: 'tile', 'data-name': p.name, 'data-kind': p.kind },
      h('div', { class: 'name', title: p.url }, p.name),
      badges,
      details,
      faultable && this.buttons({ instance: p.name }, p.name, true),
    );
    this.tiles.set(p.name, { root, badges, details, last: '' });
    return root;
  }

  update(states: readonly TileState[]): void {
    for (const s of states) {
      const tile = this.tiles.get(s.name);
      if (!tile) continue;
      // Most ticks change nothing: touching the DOM only on change keeps a busy page responsive.
      const key = JSON.stringify(s, (k, v: unknown) => (k === 'cachedForMs' && typeof v === 'number' ? Math.ceil(v / 1000) : v));
      if (key === tile.last) continue;
      tile.last = key;
      tile.root.dataset.badges = s.badges.join(' ');
      tile.root.className = `tile state-${s.badges[0] ?? 'unknown'}`;
      tile.badges.replaceChildren(...s.badges.map((b) => h('span', { class: `badge ${b}` }, badgeText(b, s))));
      tile.details.replaceChildren(...describe(s));
    }
  }
}

function badgeText(badge: string, s: TileState): string {
  if (badge === 'cached') {
    const left = Math.max(...s.beliefs.map((b) => b.cachedForMs ?? 0));
    return `cached · failback in ${Math.ceil(left / 1000)}s`;
  }
  if (badge === 'ejected') {
    const b = s.beliefs.find((x) => x.ejected);
    return `ejected${b?.reason ? ` (${b.reason}${b.ejectionCount ? ` ×${b.ejectionCount}` : ''})` : ''}`;
  }
  if (badge === 'toxic') return `toxic: ${s.proxy?.toxics.join(', ')}`;
  if (badge === 'disabled') return 'proxy disabled';
  return badge;
}

function belief(b: CallerBelief): string {
  const parts = [b.health, b.state];
  if (b.ejected) parts.push(`ejected${b.reason ? `: ${b.reason}` : ''}`);
  if (b.cachedForMs) parts.push(`cached ${Math.ceil(b.cachedForMs / 1000)}s`);
  if (b.draining) parts.push('draining');
  return `${b.caller} → ${b.cluster}: ${parts.join(', ')}`;
}

const troubled = (b: CallerBelief) => b.ejected || b.cachedForMs !== undefined || b.health === 'unhealthy' || b.state !== 'READY' || b.draining === true;

function describe(s: TileState): HTMLElement[] {
  const lines: HTMLElement[] = [];
  if (s.process && s.process !== 'running') lines.push(h('li', { class: 'bad' }, `process ${s.process}`));
  const registered = Object.entries(s.registered);
  if (registered.length) lines.push(h('li', {}, `registry: ${registered.map(([z, st]) => `${z} ${st}`).join(', ')}`));
  // Four catalogs see every pricing endpoint: the troubled views in full, the others as counts.
  const bad = s.beliefs.filter(troubled);
  for (const b of bad.slice(0, 3)) lines.push(h('li', { class: 'belief bad' }, belief(b)));
  if (bad.length > 3) lines.push(h('li', { class: 'belief bad' }, `… and ${bad.length - 3} more callers`));
  const fine = s.beliefs.filter((b) => !troubled(b));
  const serving = fine.filter((b) => b.serving).length;
  // Healthy but not in the plan: another zone's endpoint while the caller's own zone carries the load.
  const standby = fine.length - serving;
  const counts = [serving ? `${serving} serving` : '', standby ? `${standby} standby` : ''].filter(Boolean).join(', ');
  if (counts) lines.push(h('li', { class: 'belief' }, `caller views: ${counts}`));
  return lines;
}
