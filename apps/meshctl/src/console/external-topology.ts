import { parseInstanceName } from '@zonemesh/chaos';
import type { ConsoleTopology, TopologyProcess } from '@zonemesh/console';
import { MeshError } from '../mesh/mesh-error.js';

export interface ExternalMesh {
  readonly gatewayUrl: string;
  readonly toxiproxyUrl: string;
  readonly registryUrls: Readonly<Record<string, string>>;
  /** Callers besides the gateway with an LB view: instance name -> base URL serving /admin/clusters and /metrics. */
  readonly callers: Readonly<Record<string, string>>;
}

/**
 * The topology of a mesh this CLI did not start (compose): every proxy of the
 * fault proxy names an instance (`catalog-zone-a-1`, `registry-zone-b`), so
 * its proxy list is the map of the mesh. Reviews instances are the legacy ones.
 */
export async function externalTopology(mesh: ExternalMesh): Promise<ConsoleTopology> {
  let names: string[];
  try {
    const response = await fetch(`${mesh.toxiproxyUrl}/proxies`, { signal: AbortSignal.timeout(5_000) });
    names = Object.keys((await response.json()) as Record<string, unknown>);
  } catch (error) {
    throw new MeshError(`the fault proxy at ${mesh.toxiproxyUrl} did not list its proxies: ${(error as Error).message}`);
  }
  const processes: TopologyProcess[] = [
    { name: 'gateway', kind: 'gateway', service: 'gateway', zone: '-', url: mesh.gatewayUrl, adminUrl: `${mesh.gatewayUrl}/admin/clusters`, metricsUrl: `${mesh.gatewayUrl}/metrics` },
  ];
  for (const name of names.sort()) {
    const parsed = parseInstanceName(name);
    // A health proxy is a second port of an instance listed by its traffic proxy, not a process.
    if (!parsed || parsed.port === 'health') continue;
    const registry = parsed.service === 'registry';
    const caller = mesh.callers[name];
    processes.push({
      name,
      kind: registry ? 'registry' : parsed.service === 'reviews' ? 'legacy' : 'service',
      service: parsed.service,
      ...(parsed.version ? { version: parsed.version } : {}),
      zone: parsed.zone,
      url: registry ? (mesh.registryUrls[parsed.zone] ?? '-') : '-',
      proxy: name,
      ...(caller ? { adminUrl: `${caller}/admin/clusters`, metricsUrl: `${caller}/metrics` } : {}),
    });
  }
  const zones = [...new Set(processes.map((p) => p.zone).filter((z) => z !== '-'))].sort();
  // The gateway sits in a zone of its own choosing; show it in the first one its LB view calls local, else outside.
  return { zones, processes, gatewayUrl: mesh.gatewayUrl, toxiproxyUrl: mesh.toxiproxyUrl, registryUrls: mesh.registryUrls };
}
