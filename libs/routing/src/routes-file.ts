import { readFileSync } from 'node:fs';
import { ConfigError } from '@zonemesh/config';
import { parse as parseYaml } from 'yaml';
import { defaultRoutes } from './default-routes.js';
import type { RouteConfig } from './route.config.js';
import { parseRouteList, type RouteParseOptions } from './route.config.parse.js';

/** Where a route table came from, for the start-up log line. */
export interface LoadedRoutes {
  readonly routes: readonly RouteConfig[];
  readonly source: string;
}

/**
 * The `routes:` section of a YAML file (mesh.yaml, named by
 * ZONEMESH_CLUSTERS_FILE), validated; the default routes when there is no
 * file or it has no such section. Throws one line naming file and path.
 */
export function loadRoutesFile(path: string | undefined, options: RouteParseOptions = {}): LoadedRoutes {
  if (!path) return { routes: defaultRoutes(), source: 'default' };
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read routes from ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const section = (document as { routes?: unknown } | null)?.routes;
  if (section === undefined) return { routes: defaultRoutes(), source: 'default' };
  try {
    return { routes: parseRouteList(section, 'routes', options), source: path };
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`${path}: ${error.message}`);
    throw error;
  }
}
