import { postJson } from './console-api.js';
import { h } from './dom.js';
import type { ScenarioRun } from '../src/wire.js';

/** The "run scenario" menu: pick one, run it (short or full), follow its progress line, open its report. */
export class ScenarioMenu {
  private readonly status = h('span', { class: 'scenario-status', role: 'status' }, 'no scenario run yet');
  private readonly progress = h('code', { class: 'scenario-progress' });
  private readonly report = h('span', { class: 'scenario-report' });

  constructor(root: HTMLElement, scenarios: readonly string[], onError: (message: string) => void) {
    const select = h('select', { 'aria-label': 'scenario' }, scenarios.map((s) => h('option', { value: s }, s)));
    const short = h('input', { type: 'checkbox', id: 'scenario-short' });
    const run = h(
      'button',
      {
        onclick: () =>
          postJson('/console/api/scenarios/run', { scenario: select.value, short: short.checked }).catch((e: Error) => onError(e.message)),
      },
      'run scenario',
    );
    const stop = h('button', { onclick: () => postJson('/console/api/scenarios/stop', {}).catch((e: Error) => onError(e.message)) }, 'stop');
    root.replaceChildren(
      h('div', { class: 'scenario-controls' }, select, h('label', { for: 'scenario-short' }, short, ' short form'), run, stop, this.status, this.report),
      this.progress,
    );
    if (scenarios.length === 0) root.replaceChildren(h('p', {}, 'no shipped scenarios found'));
  }

  show(run: ScenarioRun): void {
    const verdict = { running: 'running', passed: 'PASSED', failed: 'FAILED', error: 'could not run' }[run.state];
    this.status.textContent = `${run.scenario}${run.short ? ' (short)' : ''}: ${verdict}`;
    this.status.className = `scenario-status ${run.state}`;
    this.progress.textContent = run.error ?? run.progress;
    this.report.replaceChildren(...(run.report ? [h('a', { href: run.report, target: '_blank', rel: 'noopener' }, 'HTML report')] : []));
  }
}
