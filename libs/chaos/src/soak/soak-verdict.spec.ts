import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../load/request-record.js';
import { readPromGauges } from './prom-text.js';
import type { ProcessSample, SoakInput } from './soak-sample.js';
import { judgeRequests, judgeSoak, median } from './soak-verdict.js';

const MB = 1024 * 1024;

/** One sample per second over `durationMs`, RSS and fds ramping linearly from `from` to `to` (what a leak looks like). */
function ramp(name: string, durationMs: number, rss: [number, number], fds: [number, number], pid = 100): ProcessSample[] {
  const out: ProcessSample[] = [];
  for (let t = 0; t <= durationMs; t += 1000) {
    const f = t / durationMs;
    out.push({ t, name, pid, rssBytes: Math.round((rss[0] + (rss[1] - rss[0]) * f) * MB), fds: Math.round(fds[0] + (fds[1] - fds[0]) * f), heapUsedBytes: 20 * MB, eventLoopP99Ms: 12, activeHandles: 9 });
  }
  return out;
}

const base = (over: Partial<SoakInput>): SoakInput => ({
  durationMs: 400_000,
  warmupMs: 0,
  restartWarmupMs: 30_000,
  samples: [],
  windows: [],
  records: [],
  scenarios: [],
  maxRssGrowth: 0.2,
  maxFdGrowth: 0.1,
  ...over,
});
const ok = (t: number): RequestRecord => ({ t, latencyMs: 5, status: 200, shape: 0 });

describe('judgeSoak', () => {
  /** Flat at `q2` MB until half-way, then flat at `q4` MB: the quarters' medians are exactly these. */
  const stepUp = (q2: number, q4: number) => ramp('catalog-zone-a-1', 400_000, [q2, q2], [30, 30]).map((s) => (s.t >= 200_000 ? { ...s, rssBytes: q4 * MB } : s));

  it('fails a process whose median RSS grows 25% from the second to the last quarter', () => {
    const v = judgeSoak(base({ samples: stepUp(100, 125) }));
    const p = v.processes[0]!;
    expect(p.rssGrowth).toBeCloseTo(0.25, 5);
    expect(p.passed).toBe(false);
    expect(v.passed).toBe(false);
    expect(v.reasons).toEqual(['catalog-zone-a-1: RSS grew +25.0% from the second to the last quarter (limit +20%)']);
  });

  it('passes a process whose RSS grows 15%', () => {
    const v = judgeSoak(base({ samples: stepUp(100, 115) }));
    expect(v.processes[0]!.rssGrowth).toBeCloseTo(0.15, 5);
    expect(v.passed).toBe(true);
    expect(v.reasons).toEqual([]);
  });

  it('judges a slow leak (a ramp) by the quarters, not by the endpoints', () => {
    // Medians at 3/8 and 7/8 of the run: 115 -> 135 MB is +17.4 %, although the ends are 100 and 140.
    const v = judgeSoak(base({ samples: ramp('gateway', 400_000, [100, 140], [40, 40]) }));
    expect(v.processes[0]!.rssGrowth).toBeCloseTo(135 / 115 - 1, 2);
    expect(v.passed).toBe(true);
  });

  it('fails open fds growing more than 10%, and reports the counts', () => {
    const v = judgeSoak(base({ samples: ramp('registry-zone-a', 400_000, [80, 80], [20, 26]) }));
    expect(v.processes[0]!.fdsQ2).toBe(22);
    expect(v.processes[0]!.fdsQ4).toBe(25);
    expect(v.passed).toBe(false);
    expect(v.reasons[0]).toMatch(/registry-zone-a: open fds grew \+13\.6% \(22 -> 25\)/);
  });

  it('uses medians: one spike in the last quarter is not growth', () => {
    const samples = ramp('gateway', 400_000, [100, 100], [40, 40]).map((s) => (s.t === 390_000 ? { ...s, rssBytes: 500 * MB, fds: 400 } : s));
    expect(judgeSoak(base({ samples })).passed).toBe(true);
  });

  it('ignores the warm-up: growth only before it does not fail', () => {
    // Grows 60 -> 100 MB in the first 100 s, flat afterwards.
    const samples = ramp('pricing-zone-b-1', 400_000, [100, 100], [30, 30]).map((s) => (s.t < 100_000 ? { ...s, rssBytes: (60 + (40 * s.t) / 100_000) * MB } : s));
    expect(judgeSoak(base({ samples, warmupMs: 0 })).processes[0]!.rssGrowth).toBe(0);
    expect(judgeSoak(base({ samples, warmupMs: 100_000 })).passed).toBe(true);
    expect(judgeSoak(base({ samples, warmupMs: 100_000 })).quarters.q2).toEqual([175_000, 250_000]);
  });

  it('follows a process by name across a restart and skips the new pid while it warms up', () => {
    const first = ramp('catalog-zone-a-1', 400_000, [100, 100], [30, 30]).filter((s) => s.t < 200_000);
    // Restarted at 210 s as pid 200: starts small and warms up to 100 MB within 20 s.
    const second = ramp('catalog-zone-a-1', 400_000, [100, 100], [30, 30], 200)
      .filter((s) => s.t >= 210_000)
      .map((s) => (s.t < 230_000 ? { ...s, rssBytes: 40 * MB } : s));
    const v = judgeSoak(base({ samples: [...first, ...second] }));
    expect(v.processes[0]!.restarts).toBe(1);
    expect(v.processes[0]!.rssGrowth).toBe(0);
    expect(v.passed).toBe(true);
  });

  it('judges growth on the samples outside fault windows: fewer connections while an instance is killed is no leak', () => {
    // 254 fds in [105 s, 175 s] (a kill in the second quarter, [100 s, 200 s]), 294 otherwise.
    const samples = ramp('toxiproxy', 400_000, [100, 100], [294, 294]).map((s) => (s.t >= 105_000 && s.t <= 175_000 ? { ...s, fds: 254 } : s));
    expect(judgeSoak(base({ samples })).passed).toBe(false);
    const v = judgeSoak(base({ samples, windows: [{ from: 104_000, to: 180_000, label: 'instance-crash/crash' }] }));
    expect(v.processes[0]!.fdsQ2).toBe(294);
    expect(v.passed).toBe(true);
  });

  it('fails a process that ran in the second quarter and never in the last', () => {
    const samples = ramp('inventory-zone-a-1', 400_000, [100, 100], [30, 30]).filter((s) => s.t < 250_000);
    const v = judgeSoak(base({ samples }));
    expect(v.passed).toBe(false);
    expect(v.reasons[0]).toMatch(/not running .* last quarter/);
  });

  it('fails when a looped scenario failed its own assertions, and names them', () => {
    const v = judgeSoak(
      base({
        samples: ramp('gateway', 400_000, [100, 100], [40, 40]),
        scenarios: [
          { name: 'zone-outage', startMs: 10_000, endMs: 44_000, passed: true, failures: [] },
          { name: 'zone-latency', startMs: 50_000, endMs: 84_000, passed: false, failures: ['failback to zone-a (never vs >= 0.9)'] },
        ],
      }),
    );
    expect(v.passed).toBe(false);
    expect(v.reasons).toEqual(['scenario zone-latency (at 50 s) failed its own assertions: failback to zone-a (never vs >= 0.9)']);
  });

  it('does not fail on a scenario aborted before its first fault (inconclusive: nothing was injected), but still on one that ran and failed', () => {
    const aborted = { name: 'zone-outage', startMs: 10_000, endMs: 15_000, passed: false, failures: ['steady state not met before the first fault'], inconclusive: 'steady state not met before the first fault' };
    const ok = judgeSoak(base({ samples: ramp('gateway', 400_000, [100, 100], [40, 40]), scenarios: [aborted] }));
    expect(ok.passed).toBe(true);
    const failed = judgeSoak(
      base({
        samples: ramp('gateway', 400_000, [100, 100], [40, 40]),
        scenarios: [aborted, { name: 'zone-latency', startMs: 50_000, endMs: 84_000, passed: false, failures: ['failback to zone-a (never vs >= 0.9)'] }],
      }),
    );
    expect(failed.reasons).toEqual(['scenario zone-latency (at 50 s) failed its own assertions: failback to zone-a (never vs >= 0.9)']);
  });

  it('fails with no sample at all', () => {
    expect(judgeSoak(base({})).reasons).toEqual(['no process was sampled']);
  });
});

describe('judgeRequests', () => {
  const windows = [{ from: 10_000, to: 30_000, label: 'zone-outage/zone-a-down' }];

  it('an error outside every fault window is lost; inside one it is reported, not lost', () => {
    const records = [ok(1000), { ...ok(5000), status: 503 }, { ...ok(15_000), status: 503 }, { ...ok(29_990), status: 0, error: 'ECONNRESET', latencyMs: 40 }, { ...ok(40_000), status: 0, error: 'ECONNRESET' }];
    const v = judgeRequests(records, windows);
    expect(v).toMatchObject({ total: 5, errorsInWindows: 2, lostErrors: 2, lostNoAnswer: 0, lost: 2 });
    expect(v.lostExamples.map((r) => r.t)).toEqual([5000, 40_000]);
  });

  it('a request due just before a window and failed inside it is the fault’s', () => {
    expect(judgeRequests([{ ...ok(9_900), status: 502, latencyMs: 200 }], windows).lost).toBe(0);
  });

  it('no answer before the deadline is lost, even inside a fault window', () => {
    const v = judgeRequests([{ ...ok(15_000), status: 0, error: 'timeout', latencyMs: 5000 }, { ...ok(50_000), status: 0, error: 'client overloaded', latencyMs: 0 }], windows);
    expect(v).toMatchObject({ lostNoAnswer: 2, errorsInWindows: 0, lost: 2 });
  });

  it('fails the soak with the lost count', () => {
    const v = judgeSoak(base({ samples: ramp('gateway', 400_000, [100, 100], [40, 40]), records: [ok(1000), { ...ok(2000), status: 500 }] }));
    expect(v.passed).toBe(false);
    expect(v.reasons).toEqual(['1 request(s) failed outside every fault window']);
  });
});

describe('helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('reads prom-client gauges, labelled or not, and skips the rest', () => {
    const text = [
      '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
      '# TYPE nodejs_heap_size_used_bytes gauge',
      'nodejs_heap_size_used_bytes{service="catalog",zone="zone-a",instance="catalog-zone-a-1"} 23456789',
      'nodejs_eventloop_lag_p99_seconds 0.012',
      'nodejs_active_handles{type="Socket"} 4',
      'nodejs_active_handles_total 11',
      'process_open_fds 27',
    ].join('\n');
    expect(readPromGauges(text, ['nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_active_handles_total'])).toEqual({
      nodejs_heap_size_used_bytes: 23456789,
      nodejs_eventloop_lag_p99_seconds: 0.012,
      nodejs_active_handles_total: 11,
    });
  });
});
