import { h } from './dom.js';
import type { ConsoleFault, FaultBand } from '../src/wire.js';

/** What is broken now: the console's own faults (each with its heal button) and what the mesh shows, whoever caused it. */
export class FaultList {
  private lastKey = '';

  constructor(
    private readonly root: HTMLElement,
    private readonly heal: (id: string) => void,
  ) {}

  update(faults: readonly ConsoleFault[], bands: readonly FaultBand[]): void {
    const open = bands.filter((b) => b.to === undefined);
    const key = JSON.stringify([faults.map((f) => f.id), open.map((b) => b.label)]);
    if (key === this.lastKey) return;
    this.lastKey = key;
    const items = [
      ...faults.map((f) =>
        h('li', {}, `${f.action}: ${f.targets.join(', ')} `, h('button', { class: 'heal', 'aria-label': `heal ${f.id}`, onclick: () => this.heal(f.id) }, 'heal')),
      ),
      ...open.map((b) => h('li', { class: 'observed' }, `the mesh shows ${b.label}`)),
    ];
    this.root.replaceChildren(items.length ? h('ul', {}, items) : h('p', { class: 'calm' }, 'no fault applied'));
  }
}
