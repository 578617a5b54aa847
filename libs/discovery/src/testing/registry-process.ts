import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const registryDir = `${repoRoot}apps/registry/`;
const registryMain = `${registryDir}dist/main.js`;

function newestMtime(dir: string, accept: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && accept(`${entry.parentPath}/${entry.name}`)) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

/** Builds apps/registry when its dist/ is missing or older than its sources (tsc -b is incremental). */
export function ensureRegistryBuilt(): void {
  const src = newestMtime(`${registryDir}src`, (n) => n.endsWith('.ts') && !n.endsWith('.spec.ts') && !n.includes('/testing/'));
  let dist = 0;
  try {
    dist = newestMtime(`${registryDir}dist`, (n) => n.endsWith('.js'));
  } catch {
    dist = 0;
  }
  if (dist >= src) return;
  execFileSync(`${repoRoot}node_modules/.bin/tsc`, ['-b', `${registryDir}tsconfig.lib.json`], { cwd: repoRoot, stdio: 'pipe' });
}

/** A registry running as a real `node apps/registry/dist/main.js` process. */
export interface RegistryProcess {
  readonly zone: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>/eureka` */
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: the zone's registry vanishes without goodbye. */
  kill(): Promise<void>;
}

export async function startRegistryProcess(zone: string, port = 0, extraArgs: string[] = []): Promise<RegistryProcess> {
  const child = spawn(process.execPath, [registryMain, '--zone', zone, '--port', String(port), ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const listening = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`registry ${zone} did not start within 15 s: ${stderr}`)), 15_000);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event?: string; url: string; port: number };
      if (event.event === 'listening') {
        clearTimeout(timeout);
        resolve(event);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`registry ${zone} exited with ${code}: ${stderr}`));
    });
  });
  return {
    zone,
    port: listening.port,
    url: listening.url,
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
