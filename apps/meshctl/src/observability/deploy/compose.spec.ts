import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../../workspace.js';
import { composeFileProblems, populateProblems, type ComposeFile, type PopulateEntry } from './compose-checks.js';
import { compileSchema, composeSchemaPath } from './json-schema.js';

const compose = parse(readFileSync(join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
const proxies = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'infra/toxiproxy/toxiproxy.json'), 'utf8')) as PopulateEntry[];
const env = (service: string) => (compose.services[service]!.environment ?? {}) as Record<string, string>;

const schemaPath = composeSchemaPath();
if (!schemaPath) console.log('compose schema validation skipped: add the dclint devDependency (ships compose.schema.json) or set ZONEMESH_COMPOSE_SCHEMA');

describe('docker-compose.yml (no Docker engine here: validated statically)', () => {
  it.skipIf(!schemaPath)('is valid against the Compose Specification JSON schema', () => {
    const validate = compileSchema(JSON.parse(readFileSync(schemaPath!, 'utf8')) as object);
    expect(validate(compose)).toEqual([]);
    // The validator is live: a wrong type is reported.
    expect(validate({ services: { x: { ports: 'not-a-list' } } }).length).toBeGreaterThan(0);
  });

  it('every build context, Dockerfile and mounted file exists; depends_on waits only on services with healthchecks', () => {
    expect(composeFileProblems(compose, WORKSPACE_ROOT)).toEqual([]);
    expect(composeFileProblems({ services: { a: { build: { context: 'nope' }, depends_on: { b: { condition: 'service_healthy' } } } } }, WORKSPACE_ROOT)).toHaveLength(3);
  });

  it('every proxy of the populate file points at a compose service that toxiproxy can reach', () => {
    expect(populateProblems(compose, proxies)).toEqual([]);
    expect(populateProblems(compose, [{ name: 'x', listen: '0.0.0.0:1', upstream: 'ghost:7000' }])).toHaveLength(1);
  });

  it('runs the topology of mesh.yaml: two registries, 2 instances per zone of each service, pricing v1 and v2, all behind toxiproxy', () => {
    const instances = Object.keys(compose.services).filter((name) => /^(catalog|pricing|inventory)/.test(name));
    expect(instances).toHaveLength(16);
    expect(instances.filter((n) => n.startsWith('pricing-v2-'))).toHaveLength(4);
    for (const name of ['registry-zone-a', 'registry-zone-b', 'gateway', 'toxiproxy', 'prometheus', 'grafana', 'jaeger']) expect(compose.services[name], name).toBeDefined();
    expect(compose.services.toxiproxy!.image).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
    const byName = new Map(proxies.map((p) => [p.name, p]));
    for (const name of instances) {
      const vars = env(name);
      // Instances advertise their proxy, so a disabled proxy is a dead instance to every caller.
      const proxy = byName.get(name);
      expect(proxy, `proxy for ${name}`).toBeDefined();
      expect(vars.ZONEMESH_ADVERTISE_HOST).toBe('toxiproxy');
      expect(proxy!.listen).toBe(`0.0.0.0:${vars.ZONEMESH_ADVERTISE_PORT}`);
      expect(proxy!.upstream).toBe(`${name}:${vars.ZONEMESH_PORT}`);
      expect(vars.ZONEMESH_INSTANCE_ID).toBe(name);
      expect(name).toContain(vars.ZONEMESH_ZONE!);
      expect(compose.services[name]!.networks).toEqual([vars.ZONEMESH_ZONE]);
      expect(vars.ZONEMESH_METRICS_PORT).toBeDefined();
    }
    expect(byName.has('registry-zone-a') && byName.has('registry-zone-b')).toBe(true);
  });

  it('every caller balances with the clusters of mesh.yaml (health checks, outlier detection, the pricing subset that routes v2)', () => {
    const callers = Object.keys(compose.services).filter((name) => /^(catalog|pricing|inventory|gateway)/.test(name));
    expect(callers).toHaveLength(17);
    for (const name of callers) expect(env(name).ZONEMESH_CLUSTERS_FILE, name).toBe('/app/mesh.yaml');
    expect(readFileSync(join(WORKSPACE_ROOT, 'infra/docker/Dockerfile'), 'utf8')).toMatch(/^COPY mesh\.yaml \.\/$/m);
  });

  it('Prometheus scrapes every mesh process by compose service name, with honor_labels', () => {
    const prometheus = parse(readFileSync(join(WORKSPACE_ROOT, 'infra/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; honor_labels?: boolean; static_configs: { targets: string[] }[] }[];
    };
    const targets = new Set(prometheus.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets)));
    for (const job of prometheus.scrape_configs.filter((j) => j.job_name !== 'prometheus')) expect(job.honor_labels, job.job_name).toBe(true);
    for (const [name, service] of Object.entries(compose.services)) {
      if (['prometheus', 'grafana', 'jaeger'].includes(name)) continue;
      const vars = (service.environment ?? {}) as Record<string, string>;
      const port = vars.ZONEMESH_METRICS_PORT ?? vars.ZONEMESH_PORT ?? '8474';
      expect(targets.has(`${name}:${port}`), `${name}:${port} scraped`).toBe(true);
    }
  });
});
