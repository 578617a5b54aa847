import { parse as parseYaml } from 'yaml';
import type { RouteConfig } from './route.config.js';
import { parseRouteList } from './route.config.parse.js';

/**
 * The routes the gateway runs when mesh.yaml has no `routes:` section — the
 * same as the shipped mesh.yaml: a version in the path wins, then the
 * `x-api-version: v2` header, everything else is v1. `/api/v3/` matches
 * nothing, so a version nobody serves is an unknown route, not a silent v1.
 */
export const DEFAULT_ROUTES_YAML = `
- name: api-v2-path
  match: { path: { prefix: /api/v2/ }, methods: [GET, HEAD] }
  action: { cluster: catalog, api_version: v2, timeout: 3s }
- name: api-v1-path
  match: { path: { prefix: /api/v1/ }, methods: [GET, HEAD] }
  action: { cluster: catalog, api_version: v1, timeout: 3s }
- name: api-v2-header
  match:
    path: { prefix: /api/products/ }
    methods: [GET, HEAD]
    headers: [{ name: x-api-version, exact: v2 }]
  action: { cluster: catalog, api_version: v2, timeout: 3s }
- name: api-default
  match: { path: { prefix: /api/products/ }, methods: [GET, HEAD] }
  action: { cluster: catalog, api_version: v1, timeout: 3s }
`;

export function defaultRoutes(): RouteConfig[] {
  return parseRouteList(parseYaml(DEFAULT_ROUTES_YAML), 'routes');
}
