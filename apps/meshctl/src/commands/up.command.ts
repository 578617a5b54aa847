import { parseArgs } from 'node:util';
import { join, relative, resolve } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ConfigError } from '@zonemesh/config';
import { prometheusConfigForPlan, renderPrometheusConfig } from '../observability/prometheus-config.js';
import { findPrometheus, startPrometheus, type RunningPrometheus } from '../observability/prometheus-process.js';
import { MeshError } from '../mesh/mesh-error.js';
import { renderTable } from '../cli/table.js';
import { loadMeshConfig } from '../mesh/mesh-config.js';
import { startMesh, type RunningMesh } from '../mesh/mesh-launcher.js';
import { planMesh } from '../mesh/mesh-plan.js';
import { reloadMeshOnChange } from '../mesh/mesh-reload.js';
import { loadOrCreateRegistryCredentials } from '../mesh/registry-credentials.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { startMeshConsole } from '../console/mesh-console.js';
import { checkConsolePort } from '../console/console-port.js';
import { isLoopbackHost, type RunningConsole } from '@zonemesh/console';
import { UsageError } from '../cli/usage-error.js';

export const UP_USAGE = `zonemesh up [--config mesh.yaml] [--logs DIR] [--prometheus [--prometheus-port 9090]]
        [--console-port 8070] [--console-host 127.0.0.1] [--no-console]
  Starts every process of the mesh, waits until a request crosses every hop,
  prints one table, and stops everything (instances deregister) on Ctrl-C.
  --prometheus also runs a real Prometheus (the binary must be on this machine)
  scraping every process, with a config generated for the local ports.
  The live console (topology, traffic, fault buttons, scenarios, dashboards)
  listens on loopback unless --console-host says otherwise; port 0 = any free one.`;

export function meshTable(mesh: RunningMesh): string {
  return renderTable(
    ['PROCESS', 'ZONE', 'VERSION', 'ADDRESS', 'PROXY', 'HEALTH PROXY', 'PID', 'STATE', 'READY IN'],
    mesh.processes.map((p) => [
      p.spec.name,
      p.spec.zone,
      p.spec.version ?? '-',
      p.spec.url,
      p.spec.proxy?.listen ?? '-',
      // The separate health port's own proxy (`<name>-health`), for services with separate_health_port.
      p.spec.healthProxy?.listen ?? '-',
      String(p.pid ?? '-'),
      p.state,
      p.readyAfterMs === undefined ? '-' : `${(p.readyAfterMs / 1000).toFixed(1)}s`,
    ]),
  );
}

export async function upCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', default: join(WORKSPACE_ROOT, 'mesh.yaml') },
      logs: { type: 'string' },
      prometheus: { type: 'boolean', default: false },
      'prometheus-port': { type: 'string', default: '9090' },
      'console-port': { type: 'string', default: '8070' },
      'console-host': { type: 'string' },
      'no-console': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const configPath = resolve(values.config!);
  const config = await loadMeshConfig(configPath).catch((error: unknown) => {
    if (error instanceof ConfigError) throw new MeshError(`bad configuration in ${relative(process.cwd(), configPath) || configPath}: ${error.message}`);
    throw error;
  });
  // Registry writes need these; callers get them in their registry URLs, people from the file.
  const credentialsPath = join(WORKSPACE_ROOT, '.zonemesh', 'registry-credentials');
  const credentials = loadOrCreateRegistryCredentials(credentialsPath);
  const plan = await planMesh(config, { registryCredentials: credentials });
  const logDir = resolve(values.logs ?? join(WORKSPACE_ROOT, '.zonemesh', 'logs'));
  const prometheusPort = Number(values['prometheus-port']);
  if (values.prometheus) {
    findPrometheus(); // fail before starting anything when the binary is missing
    if (!Number.isInteger(prometheusPort) || prometheusPort < 1 || prometheusPort > 65535) {
      throw new UsageError(`--prometheus-port: expected a port number, got "${values['prometheus-port']}"`);
    }
  }
  const consolePort = await checkConsolePort(values['no-console'] ? undefined : values['console-port']!, values['console-host'] ?? plan.config.host);
  const started = Date.now();
  const mesh = await startMesh(plan, { logDir, onProgress: (m) => console.log(`zonemesh: ${m}`) });
  let prometheus: RunningPrometheus | undefined;
  if (values.prometheus) {
    try {
      const dir = join(WORKSPACE_ROOT, '.zonemesh', 'prometheus');
      mkdirSync(join(dir, 'data'), { recursive: true });
      const configPath = join(dir, 'prometheus.yml');
      writeFileSync(configPath, renderPrometheusConfig(prometheusConfigForPlan(plan, { scrapeInterval: '5s' })));
      prometheus = await startPrometheus({
        configPath,
        dataDir: join(dir, 'data'),
        host: plan.config.host,
        port: prometheusPort,
        logPath: join(logDir, 'prometheus.log'),
      });
    } catch (error) {
      await mesh.stop();
      throw error;
    }
  }

  let meshConsole: RunningConsole | undefined;
  if (consolePort !== undefined) {
    try {
      meshConsole = await startMeshConsole(mesh, {
        host: values['console-host'] ?? plan.config.host,
        port: consolePort,
        // Who may write to the registry may break the mesh from the console, and nobody else.
        actionCredential: credentials.user,
        ...(prometheus ? { prometheusUrl: prometheus.url } : {}),
      });
    } catch (error) {
      await Promise.all([prometheus?.stop(), mesh.stop()]);
      throw new MeshError(`the console could not start: ${(error as Error).message}`);
    }
  }

  console.log(`\n${meshTable(mesh)}\n`);
  console.log(`zonemesh: mesh is up in ${((Date.now() - started) / 1000).toFixed(1)}s — try: curl ${plan.gateway.url}/api/products/1`);
  console.log(`zonemesh: registry: curl -H 'Accept: application/json' ${plan.registries[0]!.url}/eureka/apps`);
  const credentialsShown = relative(process.cwd(), credentialsPath) || credentialsPath;
  console.log(`zonemesh: registry writes need HTTP Basic auth: curl -u "$(cat ${credentialsShown})" (credentials in ${credentialsShown}, mode 0600)`);
  if (plan.toxiproxy) console.log(`zonemesh: fault proxy (Toxiproxy API): curl ${plan.toxiproxy.url}/proxies`);
  if (prometheus) console.log(`zonemesh: prometheus: ${prometheus.url}/targets`);
  if (meshConsole) console.log(`zonemesh: console: ${meshConsole.url} (its fault buttons ask once for the same user:pass)`);
  if (meshConsole && !isLoopbackHost(values['console-host'] ?? plan.config.host)) {
    console.log('zonemesh: WARNING: the console listens beyond loopback; anyone who reaches it can break the mesh');
  }
  console.log(`zonemesh: logs in ${logDir}; press Ctrl-C to stop`);
  console.log(`zonemesh: watching ${relative(process.cwd(), configPath) || configPath}: a valid change of clusters or routes reloads every process`);

  // A valid change of clusters/routes: every process reading the file re-reads it on SIGHUP (libs/runtime mesh-reload).
  const watcher = reloadMeshOnChange(mesh, configPath, config, (line) => console.log(`zonemesh: ${line}`));

  return new Promise<number>((done) => {
    let stopping = false;
    const shutdown = (why: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\nzonemesh: ${why}, stopping (instances deregister)...`);
      watcher.close();
      // The console first: it heals its own faults while the mesh still runs.
      void (meshConsole?.stop() ?? Promise.resolve())
        .then(() => Promise.all([prometheus?.stop(), mesh.stop()]))
        .then(() => {
          console.log('zonemesh: stopped');
          done(0);
        });
    };
    process.on('SIGINT', () => shutdown('interrupted'));
    process.on('SIGTERM', () => shutdown('terminated'));
    // A crashed process is reported, not silently left out of the mesh.
    for (const proc of mesh.processes) {
      void proc.exited.then((exit) => {
        if (!stopping) console.error(`zonemesh: ${proc.spec.name} exited (code ${exit.code ?? exit.signal}); see ${proc.logPath}`);
      });
    }
  });
}
