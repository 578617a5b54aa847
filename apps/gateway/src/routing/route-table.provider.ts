import { ROUTABLE_CLUSTERS, RouteTable, loadRoutesFile } from '@zonemesh/routing';

/** DI token of the gateway's compiled route table. */
export const ROUTE_TABLE = Symbol('ROUTE_TABLE');

/** The compiled table and where its routes came from (a file, or `default`). */
export interface GatewayRoutes {
  readonly table: RouteTable;
  readonly source: string;
}

/**
 * The `routes:` of the file ZONEMESH_CLUSTERS_FILE names (mesh.yaml), or
 * the default routes; validated and compiled once, before the server
 * starts, so a bad route stops the gateway with a path-qualified message.
 */
export function loadGatewayRoutes(clustersFile: string | undefined): GatewayRoutes {
  const { routes, source } = loadRoutesFile(clustersFile, { clusters: ROUTABLE_CLUSTERS });
  return { table: new RouteTable(routes), source };
}
