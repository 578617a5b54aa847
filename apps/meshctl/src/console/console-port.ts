import { MeshError } from '../mesh/mesh-error.js';
import { probePort } from '../mesh/ports.js';

/**
 * The console's port from `--console-port`, checked before the mesh starts
 * (a busy port must not cost a 25-process start-up); undefined = no console.
 */
export async function checkConsolePort(flag: string | undefined, host: string): Promise<number | undefined> {
  if (flag === undefined) return undefined;
  const port = Number(flag);
  if (!/^\d+$/.test(flag) || port > 65535) throw new MeshError(`--console-port: expected a port number (0 = any free port), got "${flag}"`);
  if (port === 0) return 0;
  const problem = await probePort(host, port);
  if (problem === 'EADDRINUSE') throw new MeshError(`--console-port ${port} is already in use; pass another port, 0 for any free one, or --no-console`);
  if (problem) throw new MeshError(`the console cannot listen on ${host}:${port}: ${problem}`);
  return port;
}
