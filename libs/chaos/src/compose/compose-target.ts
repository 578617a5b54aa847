import type { ChaosTarget } from '../faults/chaos-target.js';
import { ComposeProcessControl } from './compose-process-control.js';
import { DockerError, envOf, projectContainers, publishedUrl, serviceOf } from './docker-cli.js';

/**
 * The chaos target of a running compose stack (docker-compose.yml): gateway,
 * Toxiproxy API and registries at the ports the engine published on
 * 127.0.0.1 (whatever ZONEMESH_*_PORT chose), `kill` as docker kill/start.
 * Registries are the services running the registry app, by their zone.
 */
export async function composeTarget(project = 'zonemesh'): Promise<ChaosTarget> {
  const containers = await projectContainers(project);
  if (containers.length === 0) throw new DockerError(`no containers of compose project "${project}": start it with npm run compose:up`);
  const service = (name: string) => containers.find((c) => serviceOf(c) === name);
  const url = (name: string, port: number): string => {
    const c = service(name);
    const found = c && c.State.Running ? publishedUrl(c, port) : undefined;
    if (!found) throw new DockerError(`compose service ${name} is not running with port ${port} published`);
    return found;
  };
  const registryUrls: Record<string, string> = {};
  for (const c of containers) {
    const zone = envOf(c, 'ZONEMESH_ZONE');
    if (/^registry-/.test(serviceOf(c)) && serviceOf(c) !== 'registry-sync' && zone) registryUrls[zone] = url(serviceOf(c), 8761);
  }
  if (Object.keys(registryUrls).length === 0) throw new DockerError(`compose project "${project}" has no registry-<zone> service`);
  return {
    gatewayUrl: url('gateway', 8080),
    toxiproxyUrl: url('toxiproxy', 8474),
    registryUrls,
    processes: await ComposeProcessControl.of(project),
  };
}
