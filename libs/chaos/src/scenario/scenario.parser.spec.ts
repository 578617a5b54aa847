import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseScenario } from './scenario.parser.js';
import { shortenScenario } from './short-form.js';

const VALID = `
name: zone-outage
description: zone-a goes dark
steady_state: { window: 2s, error_rate: 0.01, p99: 300ms }
load: { rate: 40, duration: 20s, v2_share: 0.25 }
steps:
  - name: zone-a-down
    at: 4s
    duration: 8s
    fault: { type: down, targets: { zone: zone-a, service: [catalog, pricing, inventory] } }
  - name: slow-b
    at: 13s
    fault: { type: latency, latency: 100ms, jitter: 10ms, targets: { instance: "catalog-zone-b-*" } }
assertions:
  - ejected: { target: { zone: zone-a, service: catalog }, step: zone-a-down, within: 3s }
  - share: { service: catalog, zone: zone-b, min: 0.95, step: zone-a-down, within: 3s }
  - failback: { service: catalog, zone: zone-a, min: 0.9, step: zone-a-down, within: 5s, hold: 1s }
  - error_rate: { max: 0.05, during: zone-a-down, skip: 2s }
  - p99: { max: 1s }
  - registry_convergence: { instances: 14, within: 10s }
  - no_eviction: { instances: 14, during: zone-a-down }
`;

// Tests reach deep into the parsed YAML to break one thing at a time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function errorOf(yaml: string, edit?: (doc: Doc) => void): string {
  const doc = parse(yaml) as Doc;
  edit?.(doc);
  try {
    parseScenario(doc);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('parseScenario', () => {
  it('reads a complete scenario into typed milliseconds and defaults', () => {
    const s = parseScenario(parse(VALID));
    expect(s.load).toMatchObject({ rate: 40, durationMs: 20_000, timeoutMs: 2000, connections: 32 });
    expect(s.load.mix).toEqual([
      { path: '/api/products/{id}', headers: {}, weight: 0.75 },
      { path: '/api/products/{id}', headers: { 'x-api-version': 'v2' }, weight: 0.25 },
    ]);
    expect(s.steadyState).toEqual({ windowMs: 2000, maxErrorRate: 0.01, maxP99Ms: 300 });
    expect(s.steps[0]).toEqual({
      name: 'zone-a-down',
      atMs: 4000,
      durationMs: 8000,
      fault: { type: 'down', targets: { zone: ['zone-a'], service: ['catalog', 'pricing', 'inventory'] } },
    });
    // The last step without a duration lasts until the closing steady-state window.
    expect(s.steps[1]).toMatchObject({ atMs: 13_000, durationMs: 5000 });
    expect(s.steps[1]!.fault).toMatchObject({ type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 10 } });
    expect(s.assertions.map((a) => a.kind)).toEqual(['ejected', 'share', 'failback', 'error_rate', 'p99', 'registry_convergence', 'no_eviction']);
    expect(s.assertions[3]).toMatchObject({ kind: 'error_rate', max: 0.05, window: { during: 'zone-a-down', skipMs: 2000 } });
    expect(s.assertions[5]).toMatchObject({ kind: 'registry_convergence', from: 'end', withinMs: 10_000 });
  });

  it('names the path of a bad fault type and lists the allowed ones', () => {
    const message = errorOf(VALID, (d) => (d.steps[1].fault.type = 'explode'));
    expect(message).toBe('steps[1].fault.type: expected one of down, latency, timeout, reset_peer, bandwidth, limit_data, kill, got "explode"');
  });

  it('rejects unknown keys, including keys of another fault type', () => {
    expect(errorOf(VALID, (d) => (d.load.rps = 3))).toMatch(/^load\.rps: unknown key/);
    expect(errorOf(VALID, (d) => (d.steps[0].fault.latency = '1s'))).toMatch(/^steps\[0\]\.fault\.latency: unknown key \(expected one of type, targets\)/);
    expect(errorOf(VALID, (d) => (d.assertions[0].ejected.whithin = '1s'))).toMatch(/^assertions\[0\]\.ejected\.whithin: unknown key/);
  });

  it('reads a closed-loop load of N callers instead of a rate, never both', () => {
    const closed = parseScenario({ ...parse(VALID), load: { callers: 64, duration: '20s' } });
    expect(closed.load).toMatchObject({ callers: 64, rate: 0, durationMs: 20_000 });
    expect(errorOf(VALID, (d) => (d.load.callers = 16))).toBe('load.callers: give either rate (open loop) or callers (closed loop), not both');
    expect(errorOf(VALID, (d) => ((d.load.callers = 0), delete d.load.rate))).toMatch(/^load\.callers: /);
  });

  it('reads except_status on shares: one status or a list, never a non-status', () => {
    const doc = parse(VALID) as Doc;
    doc.steady_state = { window: '3s', share: { service: 'catalog', zone: 'zone-a', min: 0.9, except_status: 429 } };
    expect(parseScenario(doc).steadyState!.share).toMatchObject({ exceptStatus: [429] });
    doc.steady_state.share.except_status = [429, 'x'];
    expect(() => parseScenario(doc)).toThrow(/^steady_state\.share\.except_status\[1\]: /);
  });

  it('reads an unmeasured warm-up, 0 by default and at most 2 minutes', () => {
    expect(parseScenario(parse(VALID)).load.warmupMs).toBe(0);
    expect(parseScenario({ ...parse(VALID), load: { callers: 64, duration: '20s', warmup: '10s' } }).load.warmupMs).toBe(10_000);
    expect(errorOf(VALID, (d) => (d.load.warmup = '3m'))).toBe('load.warmup: must be at most 2m');
    expect(errorOf(VALID, (d) => (d.load.warmup = 'soon'))).toMatch(/^load\.warmup: /);
  });

  it('reads status filters of error_rate and p99, and circuit_breaker assertions', () => {
    const doc = parse(VALID) as Doc;
    doc.assertions = [
      { error_rate: { max: 0, except_status: 429 } },
      { error_rate: { max: 0.4, status: [429, 503], during: 'zone-a-down' } },
      { p99: { max: '300ms', status: 429 } },
      { circuit_breaker: { cluster: 'catalog', max_in_flight: 72, min_overflow: 1 } },
    ];
    expect(parseScenario(doc).assertions).toMatchObject([
      { kind: 'error_rate', max: 0, statuses: { except: [429] } },
      { kind: 'error_rate', max: 0.4, statuses: { only: [429, 503] }, window: { during: 'zone-a-down' } },
      { kind: 'p99', maxMs: 300, statuses: { only: [429] } },
      { kind: 'circuit_breaker', name: 'circuit breaker of catalog', cluster: 'catalog', maxInFlight: 72, minOverflow: 1 },
    ]);
    expect(errorOf(VALID, (d) => (d.assertions[3].error_rate.status = 'teapot'))).toMatch(/^assertions\[3\]\.error_rate\.status: /);
    expect(errorOf(VALID, (d) => Object.assign(d.assertions[3].error_rate, { status: 429, except_status: 503 }))).toBe(
      'assertions[3].error_rate.status: give either status or except_status, not both',
    );
    expect(errorOf(VALID, (d) => d.assertions.push({ circuit_breaker: { max_in_flight: 3 } }))).toMatch(/^assertions\[7\]\.circuit_breaker\.cluster: /);
  });

  it('rejects references to steps that do not exist', () => {
    expect(errorOf(VALID, (d) => (d.assertions[1].share.step = 'nope'))).toBe(
      'assertions[1].share.step: no step named "nope" (steps: zone-a-down, slow-b)',
    );
    expect(errorOf(VALID, (d) => (d.assertions[3].error_rate.during = 'nope'))).toMatch(/^assertions\[3\]\.error_rate\.during: no step named/);
  });

  it('rejects timing that cannot work', () => {
    expect(errorOf(VALID, (d) => (d.steps[0].at = '1s'))).toMatch(/^steps\[0\]\.at: starts inside the opening steady-state window/);
    expect(errorOf(VALID, (d) => (d.steps[0].duration = '30s'))).toMatch(/^steps\[0\]\.duration: ends after the load/);
    expect(errorOf(VALID, (d) => (d.steps[1].at = '3s'))).toMatch(/^steps\[1\]\.at: steps must be in time order/);
    expect(errorOf(VALID, (d) => (d.load.duration = 'soon'))).toBe('load.duration: expected a duration like "10s"');
  });

  it('rejects empty selectors, duplicate names and out-of-range values', () => {
    expect(errorOf(VALID, (d) => (d.steps[0].fault.targets = {}))).toBe('steps[0].fault.targets: select at least one of zone, service, instance');
    expect(errorOf(VALID, (d) => (d.steps[1].name = 'zone-a-down'))).toBe('steps[1].name: duplicate step name "zone-a-down"');
    expect(errorOf(VALID, (d) => (d.assertions[1].share.min = 1.5))).toBe('assertions[1].share.min: must be between 0 and 1, got 1.5');
    expect(errorOf(VALID, (d) => (d.assertions[2] = { failback: {}, p99: {} }))).toMatch(/^assertions\[2\]: expected exactly one of/);
  });

  it('--short shrinks the schedule but keeps the assertion deadlines', () => {
    const s = shortenScenario(parseScenario(parse(VALID)));
    expect(s.load.durationMs).toBe(10_000);
    expect(s.steps[0]).toMatchObject({ atMs: 2000, durationMs: 4000 });
    expect(s.steadyState!.windowMs).toBe(1000);
    expect(s.assertions[0]).toMatchObject({ withinMs: 3000 });
  });
});
