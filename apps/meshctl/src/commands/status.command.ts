import { parseArgs } from 'node:util';
import { renderTable } from '../cli/table.js';
import { MeshError } from '../mesh/mesh-error.js';

export const STATUS_USAGE = `zonemesh status [--gateway http://127.0.0.1:8080] [--json]
  Prints every cluster the gateway balances and every endpoint's zone, state,
  health, outlier state, in-flight calls and totals (GET /admin/clusters).`;

interface EndpointView {
  id: string;
  address: string;
  zone?: string;
  local?: boolean;
  state: string;
  health?: string;
  outlier?: { ejected?: boolean; until?: string; reason?: string } | string;
  inFlight?: number;
  picks?: number;
  succeeded?: number;
  failed?: number;
}

interface ClusterView {
  cluster: string;
  tier?: string;
  state?: string;
  endpoints: EndpointView[];
}

function outlierText(outlier: EndpointView['outlier']): string {
  if (outlier === undefined) return '-';
  if (typeof outlier === 'string') return outlier;
  if (!outlier.ejected) return 'ok';
  return `ejected${outlier.reason ? ` (${outlier.reason})` : ''}${outlier.until ? ` until ${outlier.until.slice(11, 19)}` : ''}`;
}

export function clustersTable(clusters: readonly ClusterView[]): string {
  const rows = clusters.flatMap((c) =>
    c.endpoints.map((e) => [
      c.cluster,
      e.id,
      e.zone ?? '-',
      e.local ? 'local' : 'remote',
      e.state,
      e.health ?? '-',
      outlierText(e.outlier),
      String(e.inFlight ?? 0),
      String(e.picks ?? 0),
      String(e.succeeded ?? 0),
      String(e.failed ?? 0),
    ]),
  );
  return renderTable(['CLUSTER', 'ENDPOINT', 'ZONE', 'WHERE', 'STATE', 'HEALTH', 'OUTLIER', 'INFLIGHT', 'PICKS', 'OK', 'FAILED'], rows);
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { gateway: { type: 'string', default: 'http://127.0.0.1:8080' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  const url = `${values.gateway!.replace(/\/+$/, '')}/admin/clusters`;
  let body: { clusters: ClusterView[] };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new MeshError(`${url} answered ${response.status}`);
    body = (await response.json()) as { clusters: ClusterView[] };
  } catch (error) {
    if (error instanceof MeshError) throw error;
    throw new MeshError(`cannot reach the gateway at ${values.gateway} (${(error as Error).message}); is the mesh up (\`npm start\`)?`);
  }
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else console.log(body.clusters.length === 0 ? 'no clusters yet (no request has been balanced)' : clustersTable(body.clusters));
  return 0;
}
