import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, runScenario, shortenScenario } from '@zonemesh/chaos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace.js';
import { startPrivateMesh, type ChaosMesh } from './chaos-mesh.js';

/**
 * The shipped zone-outage scenario (short form) against a real mesh started
 * by the same code as `zonemesh chaos run`: real processes, real proxies.
 */
describe('chaos run zone-outage --short against a private mesh', () => {
  let mesh: ChaosMesh;
  let reports: string;

  beforeAll(async () => {
    reports = await mkdtemp(join(tmpdir(), 'zonemesh-chaos-reports-'));
    mesh = await startPrivateMesh(join(WORKSPACE_ROOT, 'mesh.yaml'), 'zonemesh', () => undefined);
  }, 180_000);

  afterAll(async () => {
    await mesh?.release();
    if (reports) await rm(reports, { recursive: true, force: true });
  }, 60_000);

  it('applies and heals the fault, journals every request and writes both reports', async () => {
    const scenario = shortenScenario(await loadScenario(join(WORKSPACE_ROOT, 'chaos/scenarios/zone-outage.yaml')));
    const result = await runScenario(scenario, mesh.target, { reportDir: reports });
    const { journal } = result;
    for (const r of [...journal.steadyState, ...journal.assertions]) console.log(`${r.passed ? 'PASS' : 'FAIL'} ${r.name}: ${r.value} (${r.detail})`);
    expect(journal.steps).toHaveLength(1);
    expect(journal.steps[0]!.error).toBeUndefined();
    expect(journal.steps[0]!.targets.length).toBeGreaterThanOrEqual(6);
    expect(journal.records.length).toBe(scenario.load.rate * (scenario.load.durationMs / 1000));
    expect(result.reports?.html).toMatch(/zone-outage-.*\.html$/);
    const proxies = (await (await fetch(`${mesh.target.toxiproxyUrl}/proxies`)).json()) as Record<string, { enabled: boolean; toxics: unknown[] }>;
    expect(Object.values(proxies).every((p) => p.enabled && p.toxics.length === 0)).toBe(true);
  }, 120_000);
});
