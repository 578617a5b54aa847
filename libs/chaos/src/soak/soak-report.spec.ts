import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../load/request-record.js';
import type { ProcessSample } from './soak-sample.js';
import { loadSlices, renderSoakHtml, sampleColumns, type SoakReport } from './soak-report.js';
import { judgeSoak } from './soak-verdict.js';

const HOUR = 3_600_000;

function hourOfSamples(name: string): ProcessSample[] {
  return Array.from({ length: 3600 }, (_, i) => ({ t: i * 1000, name, pid: 7, rssBytes: 100e6, fds: 30, heapUsedBytes: 20e6, eventLoopP99Ms: 11, activeHandles: 9 }));
}

describe('soak report', () => {
  const samples = [...hourOfSamples('gateway'), ...hourOfSamples('catalog-zone-a-1<x>')];
  const records: RequestRecord[] = [
    { t: 1000, latencyMs: 4, status: 200, shape: 0 },
    { t: 2000, latencyMs: 5000, status: 0, error: 'timeout', shape: 0 },
  ];
  const verdict = judgeSoak({ durationMs: HOUR, warmupMs: 360_000, restartWarmupMs: 30_000, samples, windows: [], records, scenarios: [], maxRssGrowth: 0.2, maxFdGrowth: 0.1 });
  const report: SoakReport = {
    version: 1,
    startedAt: '2026-12-07T07:05:00.000Z',
    durationMs: HOUR,
    warmupMs: 360_000,
    settings: { rate: 20 },
    mesh: 'private zonemesh mesh',
    verdict,
    scenarios: [{ name: 'zone-outage', startMs: 30_000, endMs: 64_000, passed: true, failures: [] }],
    windows: [{ from: 35_000, to: 55_000, label: 'zone-outage/zone-a-down' }],
    load: { sliceMs: 10_000, slices: loadSlices(records, HOUR, 10_000) },
    processes: sampleColumns(samples),
  };

  it('keeps an hour of 1 Hz samples to at most 400 points per line, three charts per process', () => {
    const html = renderSoakHtml(report);
    const counts = [...html.matchAll(/data-points="(\d+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...counts)).toBeLessThanOrEqual(400);
    expect(html.match(/id="chart-gateway-(memory|handles|eventloop)"/g)).toHaveLength(3);
    // Names are escaped (ids sanitised), never injected.
    expect(html).not.toContain('<x>');
    expect(html).toContain('catalog-zone-a-1&lt;x&gt;');
  });

  it('shows the verdict, the lost request and the fault window', () => {
    const html = renderSoakHtml(report);
    expect(verdict.passed).toBe(false);
    expect(html).toContain('<span class="verdict fail" id="verdict">FAILED</span>');
    expect(html).toContain('1 request(s) got no answer before their deadline');
    expect(html).toMatch(/<b>1 lost<\/b> \(1 without an answer/);
    expect(html).toContain('zone-outage/zone-a-down');
  });

  it('slices the background load', () => {
    expect(report.load.slices).toHaveLength(360);
    expect(report.load.slices[0]).toEqual({ t: 0, requests: 2, errors: 1, p99Ms: 5000 });
  });
});
