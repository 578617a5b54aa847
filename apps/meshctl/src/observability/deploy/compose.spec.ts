import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../../workspace.js';
import { loadMeshConfig } from '../../mesh/mesh-config.js';
import { composeFileProblems, populateProblems, type ComposeFile, type PopulateEntry } from './compose-checks.js';
import { compileSchema, composeSchemaPath } from './json-schema.js';

// Compose resolves YAML merge keys (`<<: *mesh`); so must we, or every service would look empty.
const readCompose = (path: string) => parse(readFileSync(join(WORKSPACE_ROOT, path), 'utf8'), { merge: true, maxAliasCount: -1 }) as ComposeFile & Record<string, unknown>;
const compose = readCompose('docker-compose.yml');
const offline = readCompose('infra/compose/offline.yml');
const proxies = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'infra/toxiproxy/toxiproxy.json'), 'utf8')) as PopulateEntry[];
type Service = ComposeFile['services'][string] & { ports?: string[]; restart?: string; command?: string[]; profiles?: string[] };
const service = (name: string) => compose.services[name] as Service;
const env = (name: string) => (service(name).environment ?? {}) as Record<string, string>;
const instances = Object.keys(compose.services).filter((name) => /^(catalog|pricing|inventory)-/.test(name));
const reviews = Object.keys(compose.services).filter((name) => name.startsWith('reviews-'));

const schemaPath = composeSchemaPath();
if (!schemaPath) console.log('compose schema validation skipped: add the dclint devDependency (ships compose.schema.json) or set ZONEMESH_COMPOSE_SCHEMA');

describe('docker-compose.yml (statically; infra/compose/ci-check.sh runs it on a real engine)', () => {
  it.skipIf(!schemaPath)('the file and the offline override are valid against the Compose Specification JSON schema', () => {
    const validate = compileSchema(JSON.parse(readFileSync(schemaPath!, 'utf8')) as object);
    expect(validate(compose)).toEqual([]);
    expect(validate(offline)).toEqual([]);
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

  it('runs the topology of mesh.yaml: two registries, 2 instances per zone of each service, pricing v1 and v2, reviews and the syncer, all behind toxiproxy', () => {
    expect(instances).toHaveLength(16);
    expect(instances.filter((n) => n.startsWith('pricing-v2-'))).toHaveLength(4);
    expect(reviews).toHaveLength(4);
    for (const name of ['registry-zone-a', 'registry-zone-b', 'registry-sync', 'gateway', 'toxiproxy', 'prometheus', 'grafana', 'jaeger']) expect(compose.services[name], name).toBeDefined();
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
      expect(name.startsWith(`${vars.ZONEMESH_SERVICE}-`)).toBe(true);
      expect(service(name).networks).toEqual([vars.ZONEMESH_ZONE]);
      expect(service(name).command).toEqual(['node', `apps/${vars.ZONEMESH_SERVICE}/dist/main.js`]);
    }
    expect(byName.has('registry-zone-a') && byName.has('registry-zone-b')).toBe(true);
  });

  it('gives the instances of mesh.yaml\'s separate_health_port services a health port behind its own proxy <name>-health, as zonemesh up does', async () => {
    const mesh = await loadMeshConfig(join(WORKSPACE_ROOT, 'mesh.yaml'));
    const separate = mesh.services.list.filter((s) => s.separateHealthPort).map((s) => s.name);
    expect(separate).toEqual(['inventory']);
    const byName = new Map(proxies.map((p) => [p.name, p]));
    for (const name of instances) {
      const vars = env(name);
      const proxy = byName.get(`${name}-health`);
      if (!separate.includes(vars.ZONEMESH_SERVICE!)) {
        expect(proxy, `${name}-health`).toBeUndefined();
        expect(vars.ZONEMESH_HEALTH_PORT, name).toBeUndefined();
        continue;
      }
      expect(vars.ZONEMESH_HEALTH_PORT, name).toBe('8282');
      expect(proxy, `${name}-health`).toBeDefined();
      expect(proxy!.listen).toBe(`0.0.0.0:${vars.ZONEMESH_HEALTH_ADVERTISE_PORT}`);
      expect(proxy!.upstream).toBe(`${name}:${vars.ZONEMESH_HEALTH_PORT}`);
    }
    expect(proxies.filter((p) => p.name.endsWith('-health'))).toHaveLength(4);
    // The health check's event log is written as the image's user, under /app.
    expect(readFileSync(join(WORKSPACE_ROOT, 'infra/docker/Dockerfile'), 'utf8')).toMatch(/^RUN mkdir -p .*\.zonemesh\/logs && chown node:node .*\.zonemesh\/logs$/m);
  });

  it('registry-sync registers every reviews instance by its toxiproxy address (the 4 synced of the 20 instances)', () => {
    const listed = (parse(readFileSync(join(WORKSPACE_ROOT, 'infra/registry-sync/instances.yaml'), 'utf8')) as { instances: { id: string; host: string; port: number; zone: string }[] }).instances;
    expect(listed.map((i) => i.id).sort()).toEqual([...reviews].sort());
    for (const instance of listed) {
      const proxy = proxies.find((p) => p.name === instance.id)!;
      expect(instance.host).toBe('toxiproxy');
      expect(proxy.listen).toBe(`0.0.0.0:${instance.port}`);
      expect(proxy.upstream).toBe(`${instance.id}:${env(instance.id).ZONEMESH_PORT}`);
      expect(instance.zone).toBe(env(instance.id).ZONEMESH_ZONE);
    }
    expect(service('registry-sync').command).toContain('/config/sync.yaml');
  });

  it('publishes ports on 127.0.0.1 only, and restarts what a deployment would keep running', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) => ((s as Service).ports ?? []).map((p) => [name, String(p)] as const));
    expect(published.length).toBeGreaterThanOrEqual(8);
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    for (const [name, s] of Object.entries(compose.services)) expect((s as Service).restart, name).toBe('unless-stopped');
  });

  it('one build for every mesh service (an anchor, not copies), on Node 24, current Prometheus 3.x and Jaeger v2', () => {
    const mesh = Object.entries(compose.services).filter(([, s]) => s.image === 'zonemesh/mesh:local');
    expect(mesh).toHaveLength(16 + 4 + 2 + 1 + 1 + 1); // services, reviews, registries, syncer, gateway, console
    for (const [, s] of mesh) expect(s.build).toEqual(service('gateway').build);
    expect(readFileSync(join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8').match(/dockerfile:/g)).toHaveLength(1);
    expect(readFileSync(join(WORKSPACE_ROOT, 'infra/docker/Dockerfile'), 'utf8')).toMatch(/^ARG NODE_IMAGE=node:24-/m);
    expect(service('prometheus').image).toMatch(/^prom\/prometheus:v3\./);
    expect(service('jaeger').image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(service('toxiproxy').command).toContain('-proxy-metrics');
  });

  it('the offline override swaps in stand-ins and leaves out only Grafana and Jaeger', () => {
    const o = offline.services as Record<string, Service>;
    expect(Object.keys(o).sort()).toEqual(['grafana', 'jaeger', 'prometheus', 'toxiproxy']);
    expect(o.toxiproxy!.image).toBe('zonemesh/mesh:local');
    expect(o.toxiproxy!.command!.slice(0, 3)).toEqual(['node', 'apps/meshctl/dist/main.js', 'toxiproxy']);
    expect(o.toxiproxy!.command).toContain('/config/toxiproxy.json');
    // Its proxies listen on the container's interfaces for the other containers.
    expect(o.toxiproxy!.command).toContain('--allow-remote-listen');
    expect(o.grafana!.profiles).toEqual(['online']);
    expect(o.jaeger!.profiles).toEqual(['online']);
  });

  it('the console sees every zone, every LB view and Prometheus, published on loopback with loopback names only', () => {
    const c = service('console');
    const flags = c.command!.filter((a) => a.startsWith('--'));
    expect(c.ports).toEqual(['127.0.0.1:${ZONEMESH_CONSOLE_PORT:-8070}:8070']);
    expect(flags).toEqual(expect.arrayContaining(['--host=0.0.0.0', '--allow-host=localhost', '--allow-host=127.0.0.1', '--prometheus=http://prometheus:9090']));
    const catalogs = Object.keys(compose.services).filter((name) => name.startsWith('catalog-'));
    for (const name of catalogs) expect(flags, name).toContain(`--caller=${name}=http://${name}:9464`);
    expect(c.networks).toEqual(expect.arrayContaining(['zone-a', 'zone-b', 'shared']));
    expect(readFileSync(join(WORKSPACE_ROOT, 'infra/docker/Dockerfile'), 'utf8')).toMatch(/^COPY infra\/grafana\/dashboards\/ /m);
    // The build context leaves infra/grafana out, except what the image copies.
    expect(readFileSync(join(WORKSPACE_ROOT, 'infra/docker/Dockerfile.dockerignore'), 'utf8')).toMatch(/^!infra\/grafana\/dashboards$/m);
  });

  it('every caller balances with the clusters of mesh.yaml (health checks, outlier detection, the pricing subset that routes v2)', () => {
    const callers = Object.keys(compose.services).filter((name) => /^(catalog|pricing|inventory|gateway)/.test(name));
    expect(callers).toHaveLength(17);
    for (const name of callers) {
      expect(env(name).ZONEMESH_CLUSTERS_FILE, name).toBe('/etc/zonemesh/mesh.yaml');
      // Mounted from the checkout's mesh.yaml: the one source of targets, edited in one place.
      expect((compose.services[name] as { configs?: unknown[] }).configs, name).toContainEqual({ source: 'mesh', target: '/etc/zonemesh/mesh.yaml' });
    }
    expect((compose as unknown as { configs: Record<string, { file: string }> }).configs.mesh).toEqual({ file: './mesh.yaml' });
  });

  it('Prometheus scrapes every mesh process by compose service name, with honor_labels', () => {
    const prometheus = parse(readFileSync(join(WORKSPACE_ROOT, 'infra/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; honor_labels?: boolean; static_configs: { targets: string[] }[] }[];
    };
    const targets = new Set(prometheus.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets)));
    for (const job of prometheus.scrape_configs.filter((j) => j.job_name !== 'prometheus')) expect(job.honor_labels, job.job_name).toBe(true);
    for (const [name, s] of Object.entries(compose.services)) {
      // The console serves no metrics of its own: it reads everyone else's.
      if (['prometheus', 'grafana', 'jaeger', 'console'].includes(name)) continue;
      const vars = (s.environment ?? {}) as Record<string, string>;
      const port = name === 'registry-sync' ? '8790' : (vars.ZONEMESH_METRICS_PORT ?? vars.ZONEMESH_PORT ?? '8474');
      expect(targets.has(`${name}:${port}`), `${name}:${port} scraped`).toBe(true);
    }
  });
});
