import type { AssertionResult, ScenarioResult } from '@zonemesh/chaos';
import { renderTable } from '../cli/table.js';

export function formatMeasured(r: AssertionResult | undefined): string {
  if (!r) return '-';
  const value = r.value === null ? 'never' : r.unit === 'ms' ? `${Math.round(r.value)}ms` : r.unit === 'ratio' ? r.value.toFixed(3) : String(r.value);
  return `${r.passed ? 'PASS' : 'FAIL'} ${value}`;
}

function allResults(result: ScenarioResult): AssertionResult[] {
  return [...result.journal.steadyState, ...result.journal.assertions];
}

/** One scenario's verdict: each assertion with what was measured and the bound. */
export function resultTable(result: ScenarioResult): string {
  return renderTable(
    ['RESULT', 'ASSERTION', 'BOUND', 'SOURCE', 'DETAIL'],
    allResults(result).map((r) => [formatMeasured(r), r.name, r.threshold, r.source ?? '', r.detail]),
  );
}

/** The same scenario under two load-balancing setups, assertion by assertion. */
export function sideBySide(primary: ScenarioResult, baseline: ScenarioResult): string {
  const base = new Map(allResults(baseline).map((r) => [`${r.phase}:${r.name}`, r]));
  const rows = allResults(primary).map((r) => [r.name, r.threshold, formatMeasured(r), formatMeasured(base.get(`${r.phase}:${r.name}`))]);
  rows.push(['scenario', '', primary.passed ? 'PASSED' : 'FAILED', baseline.passed ? 'PASSED' : 'FAILED']);
  return renderTable(['ASSERTION', 'BOUND', primary.journal.mode.toUpperCase(), baseline.journal.mode.toUpperCase()], rows);
}
