import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { buildProjects } from './build-once.js';
import { WORKSPACE_ROOT } from './workspace-root.js';

const REGISTRY_MAIN = `${WORKSPACE_ROOT}apps/registry/dist/main.js`;

/** Builds apps/registry (incremental, behind the shared build lock so parallel specs never write dist/ at once). */
export function ensureRegistryBuilt(): Promise<void> {
  return buildProjects(['apps/registry/tsconfig.lib.json'], WORKSPACE_ROOT);
}

/** A registry running as a real `node apps/registry/dist/main.js` process. */
export interface RegistryProcess {
  readonly zone: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>/eureka` */
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the `{"event":"synced"}` line (printed only when peers are configured). */
  readonly synced: Promise<{ instances: number; peer: string | null }>;
  /** SIGKILL: the zone's registry vanishes without goodbye. */
  kill(): Promise<void>;
}

/** Starts a registry with the given CLI flags and resolves once it printed its `listening` line. */
export async function spawnRegistry(args: readonly string[]): Promise<RegistryProcess> {
  const child = spawn(process.execPath, [REGISTRY_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let onSynced: (value: { instances: number; peer: string | null }) => void = () => undefined;
  const synced = new Promise<{ instances: number; peer: string | null }>((resolve) => (onSynced = resolve));
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<{ url: string; port: number; zone: string }>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`registry did not start within 15 s: ${stderr}`)), 15_000);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event?: string; url: string; port: number; zone: string; instances: number; peer: string | null };
      if (event.event === 'listening') {
        clearTimeout(timeout);
        resolve(event);
      }
      if (event.event === 'synced') onSynced(event);
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`registry exited with ${code}: ${stderr}`));
    });
  });
  return {
    zone: listening.zone,
    port: listening.port,
    url: listening.url,
    child,
    synced,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A registry of `zone` on `port` (0 = free). */
export function startRegistryProcess(zone: string, port = 0, extraArgs: readonly string[] = []): Promise<RegistryProcess> {
  return spawnRegistry(['--zone', zone, '--port', String(port), ...extraArgs]);
}
