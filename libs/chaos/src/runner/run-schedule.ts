import type { Scenario, Step } from '../scenario/scenario.js';

export interface ScheduledEvent {
  readonly t: number;
  readonly kind: 'steady-before' | 'start' | 'end';
  readonly step?: Step;
}

/** Every moment the runner must act, in time order (heals before starts at the same instant). */
export function runSchedule(scenario: Scenario): ScheduledEvent[] {
  const events: ScheduledEvent[] = [];
  if (scenario.steadyState && scenario.steps.length > 0) events.push({ t: scenario.steps[0]!.atMs, kind: 'steady-before' });
  for (const step of scenario.steps) {
    events.push({ t: step.atMs, kind: 'start', step });
    events.push({ t: step.atMs + step.durationMs, kind: 'end', step });
  }
  const order = { 'steady-before': 0, end: 1, start: 2 } as const;
  return events.sort((a, b) => a.t - b.t || order[a.kind] - order[b.kind]);
}

/** What the run is doing at `t`, for the progress line. */
export function phaseAt(scenario: Scenario, t: number): string {
  const active = scenario.steps.filter((s) => t >= s.atMs && t < s.atMs + s.durationMs).map((s) => s.name);
  if (active.length) return `fault:${active.join('+')}`;
  const first = scenario.steps[0];
  if (!first || t < first.atMs) return 'steady-before';
  const lastEnd = Math.max(...scenario.steps.map((s) => s.atMs + s.durationMs));
  if (scenario.steadyState && t >= scenario.load.durationMs - scenario.steadyState.windowMs) return 'steady-after';
  return t >= lastEnd ? 'recovery' : 'between-faults';
}
