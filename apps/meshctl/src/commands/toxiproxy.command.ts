import { parseArgs } from 'node:util';
import { loadPopulateFile, startToxiproxyServer, TOXIPROXY_VERSION } from '@zonemesh/toxiproxy';
import { MeshError } from '../mesh/mesh-error.js';
import { UsageError } from '../cli/usage-error.js';

export const TOXIPROXY_USAGE = `zonemesh toxiproxy [--host 127.0.0.1] [--port 8474] [--config populate.json] [--allow-remote-listen]
  Runs the embedded Toxiproxy-compatible fault proxy (same HTTP API as toxiproxy-server).
  A proxy may listen on loopback or on --host only: anything else (0.0.0.0, another
  interface) is refused with 403 unless --allow-remote-listen, because a proxy relays
  whoever reaches it into the mesh.`;

export async function toxiproxyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8474' },
      config: { type: 'string' },
      'allow-remote-listen': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError(`--port: expected a port number 0-65535, got "${values.port}"`);
  const populate = values.config ? await loadPopulateFile(values.config) : [];
  let server;
  try {
    server = await startToxiproxyServer({ host: values.host!, port, populate, allowRemoteListen: values['allow-remote-listen']! });
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
