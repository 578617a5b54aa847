import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appEntryPoint } from '../workspace.js';
import { MeshError } from '../mesh/mesh-error.js';

export const REGISTRY_USAGE = `zonemesh registry [--zone zone-a] [--port 8761] [--host 127.0.0.1] [--peer URL]... [--profile fast|eureka]
  Runs one Eureka-compatible registry alone, in the foreground. Writes are open
  unless ZONEMESH_REGISTRY_USERS (or _USERS_FILE) is set (with peers, ZONEMESH_REGISTRY_PEER_CREDENTIALS
  too); limits and the rest of its environment: node apps/registry/dist/main.js --help.`;

/**
 * Runs apps/registry as a child with the terminal attached: the registry
 * stays a separate app (apps never import apps) and owns its flags.
 */
export async function registryCommand(argv: string[]): Promise<number> {
  const entry = appEntryPoint('registry');
  if (!existsSync(entry)) throw new MeshError('apps/registry is not built (missing apps/registry/dist/main.js); run `npm run build`');
  const child = spawn(process.execPath, [entry, ...argv], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}
