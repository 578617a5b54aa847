import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadMeshConfig, withFreePorts } from '../mesh/mesh-config.js';
import { planMesh } from '../mesh/mesh-plan.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { prometheusConfigForPlan, renderPrometheusConfig } from './prometheus-config.js';

describe('prometheusConfigForPlan', () => {
  it('scrapes every process of the plan at its metricsUrl, one job per app, honoring the processes’ labels', async () => {
    const plan = await planMesh(withFreePorts(await loadMeshConfig(join(WORKSPACE_ROOT, 'mesh.yaml'))));
    const config = prometheusConfigForPlan(plan, { scrapeInterval: '1s' });
    expect(config.global.scrape_interval).toBe('1s');
    expect(config.scrape_configs.map((j) => j.job_name).sort()).toEqual(['catalog', 'gateway', 'inventory', 'pricing', 'registry', 'registry-sync', 'reviews', 'toxiproxy']);
    for (const job of config.scrape_configs) expect(job.honor_labels).toBe(true);

    const scraped = config.scrape_configs.flatMap((j) => j.static_configs.map((s) => `http://${s.targets[0]}${j.metrics_path}`)).sort();
    expect(scraped).toEqual(plan.all.map((p) => p.metricsUrl).sort());

    const pricing = config.scrape_configs.find((j) => j.job_name === 'pricing')!;
    const v2b = plan.services.find((s) => s.name === 'pricing-v2-zone-b-1')!;
    expect(pricing.static_configs).toContainEqual({
      targets: [new URL(v2b.metricsUrl).host],
      labels: { service: 'pricing', zone: 'zone-b', instance: 'pricing-v2-zone-b-1', version: 'v2' },
    });
    // gRPC services are scraped on their metrics port, never on the HTTP/2-only gRPC port.
    for (const s of plan.services) expect(new URL(s.metricsUrl).port).not.toBe(String(s.port));

    expect(parse(renderPrometheusConfig(config))).toEqual(JSON.parse(JSON.stringify(config)));
  });
});
