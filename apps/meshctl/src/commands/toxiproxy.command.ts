import { parseArgs } from 'node:util';
import { parseDuration } from '@zonemesh/config';
import { loadPopulateFile, startToxiproxyServer, TOXIPROXY_VERSION } from '@zonemesh/toxiproxy';
import { MeshError } from '../mesh/mesh-error.js';
import { UsageError } from '../cli/usage-error.js';

export const TOXIPROXY_USAGE = `zonemesh toxiproxy [--host 127.0.0.1] [--port 8474] [--config populate.json] [--allow-remote-listen]
        [--max-connections 10000] [--upstream-connect-timeout 10s]
  Runs the embedded Toxiproxy-compatible fault proxy (same HTTP API as toxiproxy-server).
  A proxy may listen on loopback or on --host only: anything else (0.0.0.0, another
  interface) is refused with 403 unless --allow-remote-listen, because a proxy relays
  whoever reaches it into the mesh. Each proxy keeps at most --max-connections clients
  open (a new one beyond is closed at once) and gives up a dial to its upstream after
  --upstream-connect-timeout (the client is closed); both are counted in
  zonemesh_toxiproxy_refused_connections_total{proxy,reason} at GET /metrics.`;

export async function toxiproxyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8474' },
      config: { type: 'string' },
      'allow-remote-listen': { type: 'boolean', default: false },
      'max-connections': { type: 'string' },
      'upstream-connect-timeout': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError(`--port: expected a port number 0-65535, got "${values.port}"`);
  const limits: { maxConnections?: number; upstreamConnectTimeoutMs?: number } = {};
  const cap = values['max-connections'];
  if (cap !== undefined) {
    if (!/^\d+$/.test(cap) || Number(cap) < 1) throw new UsageError(`--max-connections: expected a whole number >= 1, got "${cap}"`);
    limits.maxConnections = Number(cap);
  }
  const connectTimeout = values['upstream-connect-timeout'];
  if (connectTimeout !== undefined) {
    const ms = parseDuration(connectTimeout);
    if (ms === undefined || ms < 1) throw new UsageError(`--upstream-connect-timeout: expected a duration like 10s or 500ms, got "${connectTimeout}"`);
    limits.upstreamConnectTimeoutMs = ms;
  }
  const populate = values.config ? await loadPopulateFile(values.config) : [];
  let server;
  try {
    server = await startToxiproxyServer({ host: values.host!, port, populate, allowRemoteListen: values['allow-remote-listen']!, limits });
  } catch (error) {
    const message = (error as Error).message;
    // A clash of the admin port is the user's to fix; a proxy's clash names the proxy already.
    if (/EADDRINUSE/.test(message) && !message.startsWith('populate')) throw new MeshError(`toxiproxy: port ${port} is already in use`);
    throw new MeshError(`toxiproxy: ${message.split('\n')[0]}`);
  }
  console.log(`toxiproxy ${TOXIPROXY_VERSION} (embedded) API on ${server.url} with ${populate.length} proxies`);
  console.log(JSON.stringify({ event: 'listening', url: server.url, port: server.port, proxies: populate.length }));
  return new Promise((resolve) => {
    const stop = () => void server.close().then(() => resolve(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Supervised: the supervisor going away closes the IPC channel.
    process.once('disconnect', stop);
  });
}
