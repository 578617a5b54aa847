import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeTarget, DockerError, type ChaosTarget } from '@zonemesh/chaos';
import type { ManagedProcess } from '../mesh/managed-process.js';
import * as launcher from '../mesh/mesh-launcher.js';
import { loadMeshConfig, withFreePorts, type MeshConfig } from '../mesh/mesh-config.js';
import { MeshError } from '../mesh/mesh-error.js';
import { planMesh } from '../mesh/mesh-plan.js';
import { MeshProcessControl } from './mesh-process-control.js';

export type LbMode = 'zonemesh' | 'grpc-rr';

/** A mesh to run scenarios against, and how to let go of it afterwards. */
export interface ChaosMesh {
  readonly target: ChaosTarget;
  readonly description: string;
  /** The processes, when this CLI started the mesh (the soak samples them). */
  readonly processes?: readonly ManagedProcess[];
  /** Stops the mesh if this CLI started it; a no-op for a mesh found running. */
  release(): Promise<void>;
}

/** An existing mesh given by URLs (compose, or another shell's `zonemesh up`): no process control. */
export function externalMesh(gatewayUrl: string, toxiproxyUrl: string, registryUrls: Record<string, string>): ChaosMesh {
  return {
    target: { gatewayUrl, toxiproxyUrl, registryUrls },
    description: `existing mesh at ${gatewayUrl} (toxiproxy ${toxiproxyUrl})`,
    release: async () => undefined,
  };
}

/** The stack of `npm run compose:up` (its published ports), with docker kill/start for kill faults. */
export async function composeMesh(project: string): Promise<ChaosMesh> {
  let target: ChaosTarget;
  try {
    target = await composeTarget(project);
  } catch (error) {
    if (error instanceof DockerError) throw new MeshError(`--target compose: ${error.message}`);
    throw error;
  }
  return { target, description: `compose project ${project} (gateway ${target.gatewayUrl}, toxiproxy ${target.toxiproxyUrl})`, release: async () => undefined };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The mesh `zonemesh up` would run from this config, if it is running now (gateway and fault proxy answer). */
export async function findRunningMesh(config: MeshConfig): Promise<ChaosMesh | undefined> {
  if (!config.faultProxy.enabled) return undefined;
  const host = config.host;
  const gatewayUrl = `http://${host}:${config.gateway.port}`;
  const toxiproxyUrl = `http://${host}:${config.faultProxy.port}`;
  if (!(await answers(`${gatewayUrl}/healthz`)) || !(await answers(`${toxiproxyUrl}/version`))) return undefined;
  const registryUrls = Object.fromEntries(config.zones.map((z) => [z, `http://${host}:${config.registry.ports[z]}`]));
  return externalMesh(gatewayUrl, toxiproxyUrl, registryUrls);
}

/**
 * Starts a private mesh on free ports (it never collides with a running
 * `zonemesh up`) with process control for kill faults. `grpc-rr` asks the
 * launcher for callers on plain grpc-js round_robin — the baseline.
 */
export async function startPrivateMesh(configPath: string, mode: LbMode, log: (line: string) => void, logRoot?: string): Promise<ChaosMesh> {
  const config = withFreePorts(await loadMeshConfig(configPath));
  if (!config.faultProxy.enabled) throw new MeshError('chaos needs the fault proxy: set fault_proxy.enabled: true in the mesh config');
  if (mode !== 'zonemesh') {
    const modes = (launcher as unknown as { LB_MODES?: readonly string[] }).LB_MODES;
    if (!modes?.includes(mode)) throw new MeshError(`--baseline ${mode}: this build's mesh launcher cannot run callers on ${mode} yet (startMesh has no lbMode '${mode}')`);
  }
  const plan = await planMesh(config);
  const logDir = logRoot ? join(logRoot, mode) : await mkdtemp(join(tmpdir(), `zonemesh-chaos-${mode}-`));
  log(`starting a private mesh (${mode}) on free ports; logs in ${logDir}`);
  const options: launcher.LaunchOptions & { lbMode?: LbMode } = { logDir, onProgress: (m) => log(`mesh: ${m}`), ...(mode !== 'zonemesh' ? { lbMode: mode } : {}) };
  const mesh = await launcher.startMesh(plan, options);
  if (!plan.toxiproxy) {
    await mesh.stop();
    throw new MeshError('the mesh plan has no fault proxy');
  }
  return {
    target: {
      gatewayUrl: plan.gateway.url,
      toxiproxyUrl: plan.toxiproxy.url,
      registryUrls: Object.fromEntries(plan.registries.map((r) => [r.zone, r.url])),
      processes: new MeshProcessControl(mesh),
    },
    description: `private ${mode} mesh (gateway ${plan.gateway.url})`,
    processes: mesh.processes,
    release: () => mesh.stop(),
  };
}
