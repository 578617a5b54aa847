import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackHost, startConsole } from '@zonemesh/console';
import { keyValueFlags } from '../cli/key-value-flags.js';
import { externalTopology } from '../console/external-topology.js';
import { MeshError } from '../mesh/mesh-error.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { UsageError } from '../cli/usage-error.js';

export const CONSOLE_USAGE = `zonemesh console --gateway URL --toxiproxy URL [--registry zone=URL]... [--caller name=URL]...
        [--prometheus URL] [--host 127.0.0.1] [--port 8070] [--allow-host NAME]...
  The live console for a mesh this command did not start (docker compose):
  the topology comes from the fault proxy's proxies, LB views from the gateway
  (and each --caller's /admin/clusters). No crash buttons: it does not own the
  processes. \`zonemesh up\` starts the same console for its own mesh.
  --allow-host: a host name requests may be addressed to (repeat; default:
  loopback names when --host is loopback, any otherwise). Compose listens on
  0.0.0.0 and allows only loopback names, so DNS rebinding stays shut.`;

export async function consoleCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      gateway: { type: 'string' },
      toxiproxy: { type: 'string' },
      registry: { type: 'string', multiple: true, default: [] },
      caller: { type: 'string', multiple: true, default: [] },
      prometheus: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8070' },
      'allow-host': { type: 'string', multiple: true, default: [] },
    },
  });
  if (!values.gateway || !values.toxiproxy) throw new UsageError('console: --gateway and --toxiproxy are required');
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError(`--port: expected a port number, got "${values.port}"`);
  const trim = (url: string) => url.replace(/\/+$/, '');
  const topology = await externalTopology({
    gatewayUrl: trim(values.gateway),
    toxiproxyUrl: trim(values.toxiproxy),
    registryUrls: Object.fromEntries(Object.entries(keyValueFlags('registry', values.registry!)).map(([k, v]) => [k, trim(v)])),
    callers: Object.fromEntries(Object.entries(keyValueFlags('caller', values.caller!)).map(([k, v]) => [k, trim(v)])),
  });
  const running = await startConsole({
    topology,
    host: values.host!,
    port,
    ...(values['allow-host']!.length > 0 ? { allowedHosts: values['allow-host']! } : {}),
    scenarioDir: join(WORKSPACE_ROOT, 'chaos', 'scenarios'),
    reportDir: join(WORKSPACE_ROOT, 'reports'),
    dashboardsDir: join(WORKSPACE_ROOT, 'infra', 'grafana', 'dashboards'),
    ...(values.prometheus ? { prometheusUrl: trim(values.prometheus) } : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    throw new MeshError(error.code === 'EADDRINUSE' ? `--port ${port} is already in use` : `the console could not start: ${error.message}`);
  });
  console.log(`zonemesh: console: ${running.url} (${topology.processes.length} processes in ${topology.zones.join(', ')})`);
  if (!isLoopbackHost(values.host!) && values['allow-host']!.length === 0) console.log('zonemesh: WARNING: the console listens beyond loopback; anyone who reaches it can break the mesh');
  return new Promise<number>((done) => {
    const stop = () => void running.stop().then(() => done(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
