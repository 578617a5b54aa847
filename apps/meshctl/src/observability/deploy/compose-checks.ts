import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** The parts of a compose file these checks read. */
export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly networks?: Readonly<Record<string, unknown>>;
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string; readonly dockerfile?: string };
  readonly volumes?: readonly (string | { readonly type?: string; readonly source?: string })[];
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: readonly string[] | string; readonly disable?: boolean };
  readonly networks?: readonly string[] | Readonly<Record<string, unknown>>;
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
}

/** A Toxiproxy populate entry (infra/toxiproxy/toxiproxy.json). */
export interface PopulateEntry {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
}

/**
 * What the schema cannot see: every build context and Dockerfile and every
 * bind-mounted file exists relative to `root`; every depends_on names a
 * service and waits for a healthcheck it has; every network is declared.
 */
export function composeFileProblems(compose: ComposeFile, root: string): string[] {
  const problems: string[] = [];
  const resolve = (p: string) => (isAbsolute(p) ? p : join(root, p));
  const declaredNetworks = new Set(Object.keys(compose.networks ?? {}));
  for (const [name, service] of Object.entries(compose.services)) {
    const at = `services.${name}`;
    if (service.build !== undefined) {
      const context = typeof service.build === 'string' ? service.build : (service.build.context ?? '.');
      const dockerfile = typeof service.build === 'string' ? 'Dockerfile' : (service.build.dockerfile ?? 'Dockerfile');
      if (!existsSync(resolve(context)) || !statSync(resolve(context)).isDirectory()) problems.push(`${at}.build.context: ${context} is not a directory`);
      if (!existsSync(join(resolve(context), dockerfile))) problems.push(`${at}.build.dockerfile: ${dockerfile} not found in ${context}`);
    }
    for (const [i, volume] of (service.volumes ?? []).entries()) {
      const source = typeof volume === 'string' ? volume.split(':')[0]! : volume.type === 'bind' ? volume.source : undefined;
      if (source && (source.startsWith('.') || source.startsWith('/')) && !existsSync(resolve(source))) {
        problems.push(`${at}.volumes[${i}]: ${source} does not exist`);
      }
    }
    const deps = Array.isArray(service.depends_on) ? Object.fromEntries(service.depends_on.map((d) => [d, {}])) : (service.depends_on ?? {});
    for (const [dep, spec] of Object.entries(deps as Record<string, { condition?: string }>)) {
      const target = compose.services[dep];
      if (!target) problems.push(`${at}.depends_on.${dep}: no such service`);
      else if (spec.condition === 'service_healthy' && !target.healthcheck?.test) problems.push(`${at}.depends_on.${dep}: waits for health, but ${dep} has no healthcheck`);
    }
    const networks = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
    for (const network of networks) if (!declaredNetworks.has(network)) problems.push(`${at}.networks: ${network} is not declared`);
  }
  return problems;
}

/** Every proxy's upstream is `<compose service>:<port>`, reachable from toxiproxy over a network they share. */
export function populateProblems(compose: ComposeFile, proxies: readonly PopulateEntry[], toxiproxyService = 'toxiproxy'): string[] {
  const problems: string[] = [];
  const networksOf = (name: string): string[] => {
    const n = compose.services[name]?.networks;
    return Array.isArray(n) ? n : Object.keys(n ?? {});
  };
  const proxyNets = new Set(networksOf(toxiproxyService));
  const listens = new Set<string>();
  for (const [i, proxy] of proxies.entries()) {
    const [host, port] = proxy.upstream.split(':');
    if (!host || !port || !compose.services[host]) {
      problems.push(`[${i}] ${proxy.name}: upstream ${proxy.upstream} is not a compose service`);
      continue;
    }
    if (!networksOf(host).some((n) => proxyNets.has(n))) problems.push(`[${i}] ${proxy.name}: ${toxiproxyService} shares no network with ${host}`);
    if (listens.has(proxy.listen)) problems.push(`[${i}] ${proxy.name}: listen ${proxy.listen} used twice`);
    listens.add(proxy.listen);
  }
  return problems;
}
