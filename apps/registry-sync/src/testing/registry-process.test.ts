// Test fixture, not a test: real `node apps/registry/dist/main.js` processes, as libs/discovery's helper starts them.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { buildProjects, startRegistryProcess, waitFor as pollUntil, WORKSPACE_ROOT, type RegistryProcess } from '@zonemesh/testing';

/** Builds a project with tsc -b behind the workspace's build lock (incremental: cheap when nothing changed). */
export function build(project: string): Promise<void> {
  return buildProjects([`${project}/tsconfig.lib.json`], WORKSPACE_ROOT);
}

/** Spawns `node <main> ...args` and resolves with the first JSON stdout line whose event is `event`. */
export async function spawnWithEvent(
  main: string,
  args: readonly string[],
  event: string,
): Promise<{ child: ChildProcess; line: Record<string, unknown>; output: string[] }> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => output.push(line));
  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`${main} printed no "${event}" within 15 s: ${stderr}`)), 15_000);
    lines.on('line', (text) => {
      if (!text.startsWith('{')) return;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (parsed.event === event) {
        clearTimeout(timeout);
        resolve(parsed);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`${main} exited with ${code}: ${stderr}`));
    });
  });
  return { child, line, output };
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/** A real registry process of `zone` on `port`, peering with the registries on `peerPorts`. */
export function startRegistry(zone: string, port: number, peerPorts: readonly number[] = []): Promise<RegistryProcess> {
  return startRegistryProcess(zone, port, peerPorts.flatMap((p) => ['--peer', `http://127.0.0.1:${p}/eureka`]));
}

/** One registered instance as the registry lists it. */
export interface ListedInstance {
  readonly app: string;
  readonly id: string;
  readonly port: number;
  readonly status: string;
  readonly metadata: Record<string, string>;
}

/** Every instance a registry holds (GET /eureka/apps), or undefined when it cannot answer (down, 403 while syncing). */
export async function listInstances(registryUrl: string): Promise<ListedInstance[] | undefined> {
  let response: Response;
  try {
    response = await fetch(`${registryUrl}/apps`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(2_000) });
  } catch {
    return undefined;
  }
  if (response.status !== 200) return undefined;
  const body = (await response.json()) as { applications: { application: Array<{ instance: Array<Record<string, unknown>> }> } };
  return body.applications.application.flatMap((app) =>
    app.instance.map((i) => ({
      app: i.app as string,
      id: i.instanceId as string,
      port: (i.port as { $: number }).$,
      status: i.status as string,
      metadata: i.metadata as Record<string, string>,
    })),
  );
}

/** Sorted `APP/id` of a registry's instances ([] when it cannot answer: conditions then simply keep waiting). */
export async function instanceKeys(registryUrl: string, filter: (i: ListedInstance) => boolean = () => true): Promise<string[]> {
  return ((await listInstances(registryUrl)) ?? []).filter(filter).map((i) => `${i.app}/${i.id}`).sort();
}

/** Registers an instance directly (no heartbeats): a control whose eviction proves a lease really ran out. */
export async function registerDirectly(registryUrl: string, app: string, id: string, port: number, leaseSecs: number, metadata: Record<string, string> = {}): Promise<void> {
  const body = {
    instance: {
      instanceId: id,
      hostName: '127.0.0.1',
      app: app.toUpperCase(),
      ipAddr: '127.0.0.1',
      status: 'UP',
      port: { $: port, '@enabled': 'true' },
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { durationInSecs: leaseSecs },
      metadata,
      vipAddress: app.toLowerCase(),
    },
  };
  const response = await fetch(`${registryUrl}/apps/${app.toUpperCase()}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 204) throw new Error(`direct register answered ${response.status}`);
}

/** libs/testing's poll with the syncer specs' deadline: 15 s, as leases and replication take a while on a loaded machine. */
export async function waitFor(condition: () => boolean | Promise<boolean>, { timeoutMs = 15_000, what = 'condition' } = {}): Promise<void> {
  await pollUntil(condition, { timeoutMs, intervalMs: 50, what });
}
