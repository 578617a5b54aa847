import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appEntryPoint } from '../workspace.js';
import { MeshError } from '../mesh/mesh-error.js';

export const SYNC_USAGE = `zonemesh sync [--config sync.yaml] [--id ID] [--zone zone-a] [--server zone=URL]... [--static instances.yaml] [--admin [host:]port]
  Registers instances that cannot register themselves (a static file, DNS, Kubernetes
  EndpointSlices) in the registries, heartbeats them and removes them when they go.`;

/**
 * Runs apps/registry-sync as a child with the terminal attached, like
 * `zonemesh registry`: the syncer stays a separate app and owns its flags.
 */
export async function syncCommand(argv: string[]): Promise<number> {
  const entry = appEntryPoint('registry-sync');
  if (!existsSync(entry)) throw new MeshError('apps/registry-sync is not built (missing apps/registry-sync/dist/main.js); run `npm run build`');
  const child = spawn(process.execPath, [entry, ...argv], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}
