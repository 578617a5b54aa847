import { existsSync, mkdirSync } from 'node:fs';
import { relative } from 'node:path';
import { appEntryPoint, WORKSPACE_ROOT } from '../workspace.js';
import { ManagedProcess } from './managed-process.js';
import { MeshError } from './mesh-error.js';
import type { MeshPlan, ProcessSpec } from './mesh-plan.js';
import { probePort } from './ports.js';
import { probeOnce } from './readiness.js';

/**
 * How callers balance: the zonemesh policy, or plain grpc-js round_robin over
 * the same discovery (the baseline a scenario compares against).
 */
export const LB_MODES = ['zonemesh', 'grpc-rr'] as const;
export type LbMode = (typeof LB_MODES)[number];

export interface LaunchOptions {
  readonly logDir: string;
  readonly lbMode?: LbMode;
  /** How long each tier may take to become ready. */
  readonly readyTimeoutMs?: number;
  readonly onProgress?: (message: string) => void;
}

export interface RunningMesh {
  readonly plan: MeshPlan;
  readonly processes: readonly ManagedProcess[];
  /** Stops gateway, syncer, services (and legacy instances), registries, then the fault proxy; resolves when every process has exited. */
  stop(): Promise<void>;
}

/** Fails fast, before anything starts, on what would make the mesh fail later. */
async function preflight(plan: MeshPlan): Promise<void> {
  for (const app of new Set(plan.all.map((p) => p.app))) {
    const entry = appEntryPoint(app);
    if (!existsSync(entry)) {
      const dir = relative(WORKSPACE_ROOT, entry).split('/dist/')[0];
      throw new MeshError(`${dir} is not built (missing ${relative(WORKSPACE_ROOT, entry)}); run \`npm run build\``);
    }
  }
  const listeners = [
    ...plan.all.map((spec) => ({ host: spec.host, port: spec.port, what: spec.name })),
    // An external fault proxy binds its own ports.
    ...(plan.toxiproxy ? plan.proxies.map((proxy) => ({ host: plan.config.host, port: proxy.port, what: `proxy ${proxy.name}` })) : []),
  ];
  for (const { host, port, what } of listeners) {
    const problem = await probePort(host, port);
    if (problem === 'EADDRINUSE') {
      throw new MeshError(`port ${port} (${what}) is already in use; stop what holds it or change the port in mesh.yaml`);
    }
    if (problem) throw new MeshError(`cannot listen on ${host}:${port} (${what}): ${problem}`);
  }
}

async function waitReady(processes: readonly ManagedProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(processes);
  while (pending.size > 0) {
    for (const proc of pending) {
      if (proc.hasExited) {
        const last = proc.tail(3).join(' | ') || 'no output';
        throw new MeshError(`${proc.spec.name} exited during start-up: ${last} (log: ${proc.logPath})`);
      }
    }
    const results = await Promise.all([...pending].map(async (proc) => [proc, await probeOnce(proc.spec.probe)] as const));
    for (const [proc, ready] of results) {
      if (ready) {
        proc.markReady();
        pending.delete(proc);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) {
      const names = [...pending].map((p) => p.spec.name).join(', ');
      throw new MeshError(`not ready after ${Math.round(timeoutMs / 1000)}s: ${names} (logs in ${[...pending][0]!.logPath.replace(/[^/]+$/, '')})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Creates every proxy through the Toxiproxy HTTP API, exactly as a user or scenario would. */
export async function populateProxies(plan: MeshPlan): Promise<void> {
  if (!plan.toxiproxyUrl || plan.proxies.length === 0) return;
  const body = plan.proxies.map(({ name, listen, upstream }) => ({ name, listen, upstream, enabled: true }));
  const response = await fetch(`${plan.toxiproxyUrl}/populate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 201) {
    throw new MeshError(`the fault proxy refused the proxies: ${response.status} ${(await response.text()).trim().slice(0, 300)}`);
  }
}

/** Waits until the gateway serves a product end to end: discovery has propagated everywhere. */
async function waitServing(gateway: ProcessSpec, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${gateway.url}/api/products/1`, { signal: AbortSignal.timeout(2000) });
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
      if (response.ok) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new MeshError(`the gateway did not serve /api/products/1 within ${Math.round(timeoutMs / 1000)}s (last answer: ${last})`);
}

/**
 * Starts the mesh tier by tier — fault proxy, registries, services and
 * legacy instances, the registry syncer, gateway — and returns
 * once a request has crossed every hop. On any failure it stops what it
 * started before rethrowing, so a failed `up` leaves nothing behind.
 */
export async function startMesh(plan: MeshPlan, options: LaunchOptions): Promise<RunningMesh> {
  await preflight(plan);
  mkdirSync(options.logDir, { recursive: true });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const progress = options.onProgress ?? (() => undefined);
  const lbEnv = { ZONEMESH_LB_MODE: options.lbMode ?? 'zonemesh' };
  const withLbMode = (spec: ProcessSpec): ProcessSpec =>
    spec.app === 'registry' || spec.app === 'toxiproxy' ? spec : { ...spec, env: { ...spec.env, ...lbEnv } };
  // The syncer registers legacy instances that must already answer; it stops before the registries (its registrations stay, by design).
  const tiers = [plan.toxiproxy ? [plan.toxiproxy] : [], plan.registries, [...plan.services, ...plan.legacy], plan.syncer ? [plan.syncer] : [], [plan.gateway]].map((tier) =>
    tier.map((spec) => new ManagedProcess(withLbMode(spec), appEntryPoint(spec.app), options.logDir)),
  );
  const processes = tiers.flat();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const tier of [...tiers].reverse()) {
        await Promise.all(tier.filter((p) => p.pid !== undefined).map((p) => p.stop(p.spec.stopGraceMs)));
      }
    })());

  try {
    // An external fault proxy (a Toxiproxy container) is already running: give it the proxies first.
    if (!plan.toxiproxy) await populateProxies(plan);
    const labels = ['fault proxy', 'registries', 'services', 'registry sync', 'gateway'];
    for (const [i, tier] of tiers.entries()) {
      if (tier.length === 0) continue;
      progress(`starting ${labels[i]} (${tier.length})`);
      for (const proc of tier) proc.start();
      await waitReady(tier, timeoutMs);
      if (tier[0]!.spec.app === 'toxiproxy') await populateProxies(plan);
    }
    progress('waiting for a first request to cross every hop');
    await waitServing(plan.gateway, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { plan, processes, stop };
}
