import { describe, expect, it } from 'vitest';
import { labelVariable } from './dashboards/dashboard-builder.js';
import { parseLabelValues, substitute, unresolvedVariables } from './dashboard-queries.js';

describe('dashboard query substitution', () => {
  it('replaces multi-value variables as Grafana does inside regex matchers, and $__rate_interval', () => {
    const expr = 'sum(rate(x{zone=~"$zone", service=~"${service}"}[$__rate_interval]))';
    expect(substitute(expr, { zone: ['zone-a', 'zone-b'], service: ['catalog'] }, '8s')).toBe('sum(rate(x{zone=~"(zone-a|zone-b)", service=~"catalog"}[8s]))');
  });

  it('escapes regex characters in values (doubled for the PromQL string)', () => {
    expect(substitute('x{v=~"$v"}', { v: ['a.b'] }, '1m')).toBe('x{v=~"a\\\\.b"}');
  });

  it('does not touch a variable whose name is a prefix of another', () => {
    expect(substitute('x{a=~"$zone", b=~"$zones"}', { zone: ['z'] }, '1m')).toBe('x{a=~"z", b=~"$zones"}');
    expect(unresolvedVariables('x{b=~"$zones"}')).toEqual(['zones']);
  });

  it('parses label_values variables', () => {
    expect(parseLabelValues(labelVariable('zone', 'Zone', 'zonemesh_grpc_server_requests_total'))).toEqual({ metric: 'zonemesh_grpc_server_requests_total', label: 'zone' });
  });
});
