import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../journal.js';
import type { Assertion } from '../scenario/scenario.js';
import { syntheticInput, syntheticRecords } from '../testing/synthetic.js';
import { evaluateAssertion, evaluateSteadyState } from './assertion-evaluator.js';

// zone-a is down from 4 s to 10 s. The mesh needs 1 s to fail over (errors meanwhile) and fails back 1.5 s after the heal.
const STEP: StepRecord = { name: 'zone-a-down', type: 'down', targets: ['catalog-zone-a-1', 'catalog-zone-a-2'], startMs: 4000, endMs: 10_000 };
const records = syntheticRecords(16_000, 40, (t) => {
  if (t >= 4000 && t < 5000) return { error: 'ECONNREFUSED', latencyMs: 3 };
  if (t >= 5000 && t < 11_500) return { zone: 'zone-b', latencyMs: 30 };
  return { zone: 'zone-a', latencyMs: 10 };
});
const input = syntheticInput({ records, durationMs: 16_000, steps: [STEP] });

const share = (extra: Partial<Extract<Assertion, { kind: 'share' }>>): Assertion => ({
  kind: 'share',
  name: 'share',
  condition: { service: 'catalog', zone: 'zone-b', min: 0.95 },
  step: 'zone-a-down',
  from: 'start',
  withinMs: 3000,
  ...extra,
});

describe('evaluateAssertion on a synthetic zone outage', () => {
  it('share: records when traffic moved and how long it took', () => {
    const r = evaluateAssertion(input, share({}));
    expect(r).toMatchObject({ passed: true, value: 1000, reachedAtMs: 5000, unit: 'ms' });
    expect(r.detail).toContain('100.0%');
  });

  it('share: fails with "never" when the deadline is too short', () => {
    const r = evaluateAssertion(input, share({ withinMs: 500 }));
    expect(r).toMatchObject({ passed: false, value: null });
    expect(r.detail).toMatch(/never held >= 0.95 within 500 ms/);
  });

  it('share: a sliver at the end of the window is no evidence', () => {
    // Traffic moves to zone-b at 3000 ms; the step ends 10 ms later. Before, the
    // sliver 3000-3010 (one zone-b answer) counted as "held from 3000 on".
    const moved = syntheticRecords(6000, 40, (t) => ({ zone: t < 3000 ? 'zone-a' : 'zone-b', latencyMs: 5 }));
    const steps: StepRecord[] = [{ ...STEP, startMs: 1000, endMs: 3010 }];
    const r = evaluateAssertion(syntheticInput({ records: moved, durationMs: 6000, steps }), share({ withinMs: 2000 }));
    expect(r).toMatchObject({ passed: false, value: null });
    const longer = evaluateAssertion(syntheticInput({ records: moved, durationMs: 6000, steps: [{ ...steps[0]!, endMs: 3500 }] }), share({ withinMs: 2000 }));
    expect(longer).toMatchObject({ passed: true, value: 2000 });
  });

  it('mean_share: the share over a whole window, for splits that are partial by design', () => {
    // 7 of 10 calls in zone-a, in a pattern no 250 ms slice-by-slice bound of 0.6 would survive.
    const split = syntheticRecords(8000, 40, (t) => ({ zone: Math.floor(t / 25) % 10 < 7 ? 'zone-a' : 'zone-b', latencyMs: 5 }));
    const steps: StepRecord[] = [{ ...STEP, startMs: 2000, endMs: 6000 }];
    const splitInput = syntheticInput({ records: split, durationMs: 8000, steps });
    const mean = (min: number): Assertion => ({ kind: 'mean_share', name: 'mean', condition: { service: 'catalog', zone: 'zone-a', min }, window: { during: 'zone-a-down', skipMs: 0 } });
    expect(evaluateAssertion(splitInput, mean(0.6))).toMatchObject({ passed: true, value: 0.7, unit: 'ratio' });
    expect(evaluateAssertion(splitInput, mean(0.75))).toMatchObject({ passed: false, value: 0.7 });
  });

  it('failback: measured from the heal, holding until the end of the run', () => {
    const r = evaluateAssertion(input, {
      kind: 'failback',
      name: 'failback',
      condition: { service: 'catalog', zone: 'zone-a', min: 0.9 },
      step: 'zone-a-down',
      withinMs: 5000,
    });
    expect(r).toMatchObject({ passed: true, value: 1500, reachedAtMs: 11_500 });
    const late = evaluateAssertion(input, { kind: 'failback', name: 'f', condition: { zone: 'zone-a', min: 0.9 }, step: 'zone-a-down', withinMs: 1000 });
    expect(late.passed).toBe(false);
  });

  it('ejected from traffic: when answers flow error-free without the target', () => {
    const r = evaluateAssertion(input, { kind: 'ejected', name: 'ej', target: { zone: ['zone-a'], service: ['catalog'] }, step: 'zone-a-down', withinMs: 3000 });
    expect(r).toMatchObject({ passed: true, value: 1000, source: 'traffic' });
  });

  it('ejected from /admin/clusters when the gateway reports endpoints', () => {
    const endpoints = (available: boolean) => [
      { id: 'catalog-zone-a-1', available },
      { id: 'catalog-zone-a-2', available },
      { id: 'catalog-zone-b-1', available: true },
    ];
    const clusterSamples = [0, 2000, 4250, 4500, 6250, 6500].map((t) => ({ t, endpoints: endpoints(t < 6250) }));
    const withAdmin = { ...input, clusterSamples, clustersAvailable: true };
    const r = evaluateAssertion(withAdmin, { kind: 'ejected', name: 'ej', target: { zone: ['zone-a'], service: ['catalog'] }, step: 'zone-a-down', withinMs: 3000 });
    expect(r).toMatchObject({ passed: true, value: 2250, reachedAtMs: 6250, source: 'admin' });
    const slow = evaluateAssertion(withAdmin, { kind: 'ejected', name: 'ej', target: { zone: ['zone-a'], service: ['catalog'] }, step: 'zone-a-down', withinMs: 2000 });
    expect(slow).toMatchObject({ passed: false, value: 2250 });
  });

  it('error_rate and p99 over a step window, with skip', () => {
    const during = evaluateAssertion(input, { kind: 'error_rate', name: 'e', max: 0.01, window: { during: 'zone-a-down', skipMs: 0 } });
    expect(during.passed).toBe(false);
    expect(during.value).toBeCloseTo(40 / 240, 5);
    const afterFailover = evaluateAssertion(input, { kind: 'error_rate', name: 'e', max: 0.01, window: { during: 'zone-a-down', skipMs: 1000 } });
    expect(afterFailover).toMatchObject({ passed: true, value: 0 });
    const p99 = evaluateAssertion(input, { kind: 'p99', name: 'p', maxMs: 20, window: { after: 'zone-a-down', skipMs: 2000 } });
    expect(p99).toMatchObject({ passed: true, value: 10 });
    expect(evaluateAssertion(input, { kind: 'p99', name: 'p', maxMs: 20, window: { skipMs: 0 } })).toMatchObject({ passed: false, value: 30 });
  });

  it('steady state: judged per condition over the given window', () => {
    const results = evaluateSteadyState(input, { windowMs: 2000, maxErrorRate: 0, maxP99Ms: 50, share: { service: 'catalog', zone: 'zone-a', min: 0.99 } }, 'before', 2000, 4000);
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['steady state before: error rate', true],
      ['steady state before: p99', true],
      ['steady state before: share catalog@zone-a', true],
    ]);
    const during = evaluateSteadyState(input, { windowMs: 2000, share: { zone: 'zone-a', min: 0.99 } }, 'after', 6000, 8000);
    expect(during[0]).toMatchObject({ passed: false, value: 0 });
  });
});

describe('registry assertions', () => {
  const samples = [
    // zone-a lost an instance at the kill (4 s) and got it back at 9 s; zone-b at 10 s.
    ...[0, 2000, 5000, 7000, 9000, 11_000].map((t) => ({ t, zone: 'zone-a', instances: t >= 4000 && t < 9000 ? 13 : 14 })),
    ...[500, 2500, 5500, 7500, 10_000, 11_500].map((t) => ({ t, zone: 'zone-b', instances: t >= 4000 && t < 10_000 ? 13 : 14 })),
  ];
  const reg = syntheticInput({ records: [], durationMs: 16_000, steps: [{ ...STEP, endMs: 6000 }], registrySamples: samples, registryZones: ['zone-a', 'zone-b'] });

  it('registry_convergence: every registry lists N instances, timed from the step end', () => {
    const r = evaluateAssertion(reg, { kind: 'registry_convergence', name: 'c', instances: 14, step: 'zone-a-down', from: 'end', withinMs: 10_000 });
    expect(r).toMatchObject({ passed: true, value: 4000, reachedAtMs: 10_000, source: 'registry' });
    expect(evaluateAssertion(reg, { kind: 'registry_convergence', name: 'c', instances: 14, step: 'zone-a-down', from: 'end', withinMs: 3000 }).passed).toBe(false);
  });

  it('no_eviction: the fewest instances any registry listed in the window', () => {
    const r = evaluateAssertion(reg, { kind: 'no_eviction', name: 'n', instances: 14, window: { during: 'zone-a-down', skipMs: 0 } });
    expect(r).toMatchObject({ passed: false, value: 13 });
    const before = evaluateAssertion(reg, { kind: 'no_eviction', name: 'n', instances: 14, window: { skipMs: 0 } });
    expect(before.value).toBe(13);
    const onlyB = evaluateAssertion(reg, { kind: 'no_eviction', name: 'n', instances: 14, zones: ['zone-b'], window: { after: 'zone-a-down', skipMs: 4000 } });
    expect(onlyB).toMatchObject({ passed: true, value: 14 });
  });

  it('a step that never ran fails the assertion instead of throwing', () => {
    const r = evaluateAssertion(reg, { kind: 'failback', name: 'f', condition: { zone: 'zone-a', min: 1 }, step: 'ghost', withinMs: 1 });
    expect(r).toMatchObject({ passed: false, detail: 'step "ghost" never ran' });
  });

  it('error_rate and p99 by HTTP status: the share of shed calls (429), everything else, and how fast the shed ones were', () => {
    // Every 4th request shed (429, 2 ms), one 503 among the rest.
    const mixed = syntheticRecords(10_000, 40, () => ({ zone: 'zone-b', latencyMs: 300 })).map((r, i) =>
      i % 4 === 0 ? { ...r, status: 429, latencyMs: 2, servedBy: undefined } : i === 5 ? { ...r, status: 503, servedBy: undefined } : r,
    );
    const run = syntheticInput({ records: mixed, durationMs: 10_000 });
    const window = { skipMs: 0 };
    expect(evaluateAssertion(run, { kind: 'error_rate', name: 'shed', max: 0.3, window, statuses: { only: [429] } })).toMatchObject({ passed: true, value: 0.25 });
    expect(evaluateAssertion(run, { kind: 'error_rate', name: 'shed', max: 0.2, window, statuses: { only: [429] } }).passed).toBe(false);
    const others = evaluateAssertion(run, { kind: 'error_rate', name: 'others', max: 0, window, statuses: { except: [429] } });
    expect(others).toMatchObject({ passed: false, value: 1 / 400 });
    expect(others.detail).toContain('1 errors other than status 429');
    expect(evaluateAssertion(run, { kind: 'p99', name: 'fast', maxMs: 50, window, statuses: { only: [429] } })).toMatchObject({ passed: true, value: 2 });
    expect(evaluateAssertion(run, { kind: 'p99', name: 'all', maxMs: 50, window }).passed).toBe(false);
  });

  it('share with except_status: shed calls (429) were served nowhere and are left out of the share', () => {
    // Zone-b serves every answered call; every 4th request is shed.
    const shed = syntheticRecords(8000, 40, () => ({ zone: 'zone-b', latencyMs: 20 })).map((r, i) => (i % 4 === 0 ? { ...r, status: 429, servedBy: undefined } : r));
    const run = syntheticInput({ records: shed, durationMs: 8000, steps: [{ ...STEP, startMs: 1000, endMs: 7000 }] });
    expect(evaluateAssertion(run, share({})).passed).toBe(false);
    const leftOut = evaluateAssertion(run, share({ condition: { service: 'catalog', zone: 'zone-b', min: 0.95, exceptStatus: [429] } }));
    expect(leftOut).toMatchObject({ passed: true, value: 0 });
    expect(leftOut.detail).toContain('(status 429 left out)');
    const mean: Assertion = { kind: 'mean_share', name: 'mean', condition: { service: 'catalog', zone: 'zone-b', min: 0.95, exceptStatus: [429] }, window: { skipMs: 0 } };
    expect(evaluateAssertion(run, mean)).toMatchObject({ passed: true, value: 1 });
  });

  it('circuit_breaker: the peak in flight and the refusals from the last /admin/clusters sample', () => {
    const sample = (peakRequests: number, overflow: number) => ({ t: 1000, endpoints: [], breakers: [{ cluster: 'catalog', maxRequests: 72, peakRequests, overflow }] });
    const judge = (samples: ReturnType<typeof sample>[], a: Partial<Extract<Assertion, { kind: 'circuit_breaker' }>> = {}) =>
      evaluateAssertion(syntheticInput({ records, durationMs: 16_000, clusterSamples: samples, clustersAvailable: true }), { kind: 'circuit_breaker', name: 'cb', cluster: 'catalog', maxInFlight: 72, minOverflow: 1, ...a });
    expect(judge([sample(72, 40)])).toMatchObject({ passed: true, value: 72 });
    expect(judge([sample(72, 0)]).passed).toBe(false); // never shed: the scenario did not reach the limit
    expect(judge([sample(73, 5)]).passed).toBe(false);
    expect(judge([sample(60, 5)], { maxOverflow: 4 }).passed).toBe(false);
    expect(judge([]).detail).toBe('no circuit breakers of catalog in /admin/clusters');
  });
});
