import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SoakReport } from '@zonemesh/chaos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace.js';

/**
 * A small probe instead of the shipped scenarios: it has no steady-state
 * latency bound (a busy 2-core CI machine cannot promise p99 < 500 ms 20 s
 * after a 25-process start), and a latency toxic does not churn connections,
 * so the fds judged are the mesh's own. (Following a process by name across a
 * restart is judged by soak-verdict.spec.ts; the sampler looks each process
 * up by name at every tick.)
 */
const PROBE = `name: soak-probe
description: catalog-zone-b-1 answers 100 ms late for 4 s.
load: { rate: 5, duration: 20s, timeout: 5s }
short_factor: 1
steps:
  - name: slow
    at: 3s
    duration: 4s
    fault: { type: latency, latency: 100ms, targets: { instance: catalog-zone-b-1 } }
assertions:
  - error_rate: { name: errors over the whole run, max: 0.5 }
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `zonemesh soak --duration 80s` as CI would run it (the compiled CLI, a real
 * private mesh of 25 processes, real /proc and /metrics), with the probe
 * scenario looped once.
 */
describe('zonemesh soak --duration 80s against a real private mesh', () => {
  let dir: string;
  let run: Run;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zonemesh-soak-'));
    await writeFile(join(dir, 'soak-probe.yaml'), PROBE);
    const args = ['soak', '--duration', '80s', '--warmup', '36s', '--scenario', join(dir, 'soak-probe.yaml'), '--reports', join(dir, 'reports')];
    run = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [join(WORKSPACE_ROOT, 'apps/meshctl/dist/main.js'), ...args], { cwd: WORKSPACE_ROOT, timeout: 270_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });
    if (run.code !== 0) console.log(run.stdout, run.stderr);
  }, 290_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes, prints the per-process table and writes both reports', async () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gateway\s+0\s+\d/m);
    expect(run.stdout).toMatch(/background load: \d+ requests, 0 lost/);
    const files = (await readdir(join(dir, 'reports'))).filter((f) => f.startsWith('soak-'));
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(1);
    const html = await readFile(join(dir, 'reports', files.find((f) => f.endsWith('.html'))!), 'utf8');
    expect(html).toContain('id="verdict"');
    expect(html).toContain('id="chart-gateway-memory"');
  });

  it('sampled every process about once a second, with its metrics', async () => {
    const json = (await readdir(join(dir, 'reports'))).find((f) => f.startsWith('soak-') && f.endsWith('.json'))!;
    const report = JSON.parse(await readFile(join(dir, 'reports', json), 'utf8')) as SoakReport;
    expect(report.verdict.passed).toBe(true);
    const names = Object.keys(report.processes);
    expect(names).toEqual(expect.arrayContaining(['gateway', 'toxiproxy', 'registry-zone-a', 'catalog-zone-b-1']));
    expect(names.length).toBeGreaterThanOrEqual(20);
    for (const name of names) {
      const c = report.processes[name]!;
      // 80 ticks; a loaded machine skips a few.
      expect(c.t.length, name).toBeGreaterThanOrEqual(55);
      expect(Math.min(...c.rssBytes), name).toBeGreaterThan(10 * 1024 * 1024);
      expect(Math.min(...c.fds), name).toBeGreaterThan(5);
    }
    expect(report.processes.gateway!.heapUsedBytes.filter((v) => v !== null).length).toBeGreaterThan(40);
    expect(report.processes.gateway!.eventLoopP99Ms.filter((v) => v !== null).length).toBeGreaterThan(40);
    expect(report.verdict.processes.every((p) => p.rssGrowth !== null && p.fdGrowth !== null)).toBe(true);
    expect(report.scenarios.length).toBeGreaterThanOrEqual(1);
    expect(report.scenarios.every((s) => s.name === 'soak-probe' && s.passed)).toBe(true);
    expect(report.windows).toHaveLength(report.scenarios.length);
    expect(report.windows[0]!.to - report.windows[0]!.from).toBeGreaterThanOrEqual(4_000 + 10_000 - 500);
    expect(report.verdict.requests.total).toBe(20 * 80);
    expect(report.verdict.requests.lost).toBe(0);
  });
});
