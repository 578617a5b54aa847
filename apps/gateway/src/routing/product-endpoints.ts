import type { CompiledRoute, RouteTable } from '@zonemesh/routing';

/** A product endpoint of the gateway as OpenAPI names it, and how to probe which routes reach it. */
export interface ProductEndpoint {
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  /** Whether the path carries the API version as its `{version}` segment. */
  readonly versioned: boolean;
}

export const PRODUCT_ENDPOINTS: readonly ProductEndpoint[] = [
  {
    path: '/api/products/{id}',
    operationId: 'getProduct',
    summary: 'A product with price and stock; the route table picks the API version (header x-api-version, canary weights).',
    versioned: false,
  },
  {
    path: '/api/{version}/products/{id}',
    operationId: 'getVersionedProduct',
    summary: 'A product at the API version named in the path.',
    versioned: true,
  },
];

/** Every version some route can send traffic to, sorted. */
export function routedVersions(table: RouteTable): string[] {
  return [...new Set(table.routes.flatMap((r) => r.versions))].sort();
}

/**
 * The concrete paths that stand for an endpoint when asking which routes
 * reach it: `/api/products/1`, and for the versioned one a path per version
 * some route serves (`/api/v2/products/1`).
 */
export function samplePaths(endpoint: ProductEndpoint, table: RouteTable): { path: string; version?: string }[] {
  if (!endpoint.versioned) return [{ path: endpoint.path.replace('{id}', '1') }];
  return routedVersions(table).map((version) => ({ path: endpoint.path.replace('{version}', version).replace('{id}', '1'), version }));
}

/** Routes a GET to the endpoint can take (headers aside), in table order. */
export function routesReaching(endpoint: ProductEndpoint, table: RouteTable): CompiledRoute[] {
  const paths = samplePaths(endpoint, table);
  return table.routes.filter((route) => paths.some(({ path }) => route.matchesPath('GET', path)));
}

/** The versions the `{version}` segment may take: those some route matches. */
export function pathVersions(endpoint: ProductEndpoint, table: RouteTable): string[] {
  return samplePaths(endpoint, table)
    .filter(({ path }) => table.routes.some((route) => route.matchesPath('GET', path)))
    .map(({ version }) => version!);
}

/** Routes no product endpoint can reach: worth a warning at start-up, as they are dead configuration. */
export function unreachableRoutes(table: RouteTable): CompiledRoute[] {
  const reached = new Set(PRODUCT_ENDPOINTS.flatMap((e) => routesReaching(e, table)));
  return table.routes.filter((r) => !reached.has(r));
}
