/** One endpoint as the gateway's /admin/clusters reported it at one moment. */
export interface EndpointState {
  /** Instance id (`catalog-zone-a-1`) when the gateway knows it, else the address. */
  readonly id: string;
  readonly cluster?: string;
  readonly zone?: string;
  /** Takes traffic: READY and neither ejected nor unhealthy. */
  readonly available: boolean;
  readonly state?: string;
}

export interface ClusterSample {
  readonly t: number;
  readonly endpoints: readonly EndpointState[];
  /** Circuit breakers of the gateway's clusters that have them (libs/lb `circuitBreakers`). */
  readonly breakers?: readonly BreakerState[];
}

/** One channel's circuit breakers as /admin/clusters reported them. */
export interface BreakerState {
  readonly cluster: string;
  readonly maxRequests: number;
  /** Most attempts in flight at once since the channel started. */
  readonly peakRequests: number;
  /** Calls refused by max_requests / max_pending_requests since the channel started. */
  readonly overflow: number;
}

/** The `circuitBreakers` of every cluster entry of an /admin/clusters document. */
export function extractBreakers(document: unknown): BreakerState[] {
  const clusters = document !== null && typeof document === 'object' ? (document as { clusters?: unknown }).clusters ?? document : undefined;
  if (!Array.isArray(clusters)) return [];
  const found: BreakerState[] = [];
  for (const c of clusters as Array<Record<string, unknown>>) {
    const b = c?.circuitBreakers as { thresholds?: Record<string, number>; peakRequests?: number; overflow?: Record<string, number> } | undefined;
    if (!b || typeof c.cluster !== 'string') continue;
    found.push({
      cluster: c.cluster,
      maxRequests: Number(b.thresholds?.max_requests),
      peakRequests: Number(b.peakRequests),
      overflow: Number(b.overflow?.max_requests ?? 0) + Number(b.overflow?.max_pending_requests ?? 0),
    });
  }
  return found;
}

const DOWN_STATES = new Set(['TRANSIENT_FAILURE', 'SHUTDOWN', 'CONNECTING', 'IDLE', 'UNHEALTHY', 'DOWN', 'EJECTED']);

function isEjected(e: Record<string, unknown>): boolean {
  if (e.ejected === true) return true;
  const outlier = e.outlier ?? e.outlierDetection ?? e.outlier_detection;
  if (outlier && typeof outlier === 'object' && (outlier as { ejected?: unknown }).ejected === true) return true;
  if (typeof outlier === 'string' && /eject/i.test(outlier)) return true;
  const health = e.health ?? e.healthStatus;
  if (typeof health === 'string' && /unhealthy|fail|down/i.test(health)) return true;
  if (health && typeof health === 'object' && (health as { healthy?: unknown }).healthy === false) return true;
  return false;
}

/**
 * Pulls endpoint states out of /admin/clusters without depending on its exact
 * shape (it evolves with libs/lb): any object with a string `id` or `address`
 * inside an `endpoints` list counts, and it is available unless its state,
 * health or outlier fields say otherwise.
 */
export function extractEndpoints(document: unknown): EndpointState[] {
  const found: EndpointState[] = [];
  const visit = (node: unknown, cluster: string | undefined, inEndpoints: boolean) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, cluster, inEndpoints);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const metadata = (o.metadata ?? {}) as Record<string, unknown>;
    const id = [metadata.instanceId, o.instanceId, o.id, o.address].find((v): v is string => typeof v === 'string');
    if (inEndpoints && id) {
      const state = typeof o.state === 'string' ? o.state : undefined;
      const zone = typeof o.zone === 'string' ? o.zone : typeof metadata.zone === 'string' ? metadata.zone : undefined;
      const available = !isEjected(o) && (state === undefined || !DOWN_STATES.has(state.toUpperCase()));
      found.push({ id, ...(cluster ? { cluster } : {}), ...(zone ? { zone } : {}), available, ...(state ? { state } : {}) });
      return;
    }
    const name = typeof o.cluster === 'string' ? o.cluster : typeof o.name === 'string' ? o.name : cluster;
    for (const [key, value] of Object.entries(o)) {
      if (value && typeof value === 'object') visit(value, name, key === 'endpoints' || key === 'hosts');
    }
  };
  visit(document, undefined, false);
  return found;
}
