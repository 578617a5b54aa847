import type { Scenario } from './scenario.js';

/**
 * The `--short` variant for CI: the load, step times and the steady-state
 * window shrink by the scenario's short_factor. Assertion deadlines (`within`)
 * do not: ejection and failover take the time they take, whatever the run length.
 */
export function shortenScenario(scenario: Scenario): Scenario {
  const f = scenario.shortFactor;
  const scale = (ms: number) => Math.round((ms * f) / 50) * 50;
  return {
    ...scenario,
    load: { ...scenario.load, durationMs: scale(scenario.load.durationMs) },
    ...(scenario.steadyState ? { steadyState: { ...scenario.steadyState, windowMs: scale(scenario.steadyState.windowMs) } } : {}),
    steps: scenario.steps.map((s) => ({ ...s, atMs: scale(s.atMs), durationMs: scale(s.durationMs) })),
  };
}
