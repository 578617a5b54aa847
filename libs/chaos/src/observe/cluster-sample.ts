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
