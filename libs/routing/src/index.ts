export * from './route.config.js';
export { parseRoute, parseRouteList, type RouteParseOptions } from './route.config.parse.js';
export { CompiledRoute, RouteTable, pathOf, type RouteRequest } from './route-table.js';
export type { RouteHeaders } from './request.matchers.js';
export { WeightedVersion } from './weighted-version.js';
export { DEFAULT_ROUTES_YAML, defaultRoutes } from './default-routes.js';
export { loadRoutesFile, type LoadedRoutes } from './routes-file.js';
export { seededRandom } from './seeded-random.js';
