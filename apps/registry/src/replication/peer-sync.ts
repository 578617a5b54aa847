import { decodeRegistration } from '../instance.codec.js';
import type { RegistryStore } from '../registry.store.js';
import type { RegistryAdmission } from '../registry-limits.js';
import { PeerHttp } from './peer-http.js';
import { parseJsonSafely } from '../safe-json.js';

export interface PeerSyncOptions {
  readonly peers: readonly string[];
  readonly store: RegistryStore;
  /** Give up after this long so a lone registry still opens (Eureka waits 5 min when empty). */
  readonly timeoutMs: number;
  /** Pause between rounds over all peers. */
  readonly retryMs: number;
  readonly requestTimeoutMs: number;
  /** The `Authorization` header for one peer (its URL as passed here, without credentials). */
  readonly authorizationFor?: (peer: string) => string | undefined;
  readonly now: () => number;
  readonly signal: AbortSignal;
  /** Limits the copied instances must meet, as if registered here. */
  readonly admission?: RegistryAdmission;
}

/** How the start-up sync ended. */
export interface PeerSyncOutcome {
  /** The peer whose registry we copied; undefined when none answered in time. */
  readonly peer: string | undefined;
  readonly instances: number;
  readonly tookMs: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** Copies a peer's `GET /apps` answer into the store as replicated registrations; returns how many. */
export function importApplications(body: unknown, store: RegistryStore, now: number, admission?: RegistryAdmission): number {
  const applications = isObject(body) && isObject(body.applications) ? body.applications : undefined;
  if (applications === undefined) throw new Error('expected {"applications":{...}}');
  let count = 0;
  for (const application of asArray(applications.application)) {
    if (!isObject(application)) continue;
    for (const instance of asArray(application.instance)) {
      try {
        const decoded = decodeRegistration({ instance }, String(application.name ?? (isObject(instance) ? instance.app : '')), now);
        admission?.checkRegistration(decoded);
        store.register(decoded, true);
        count++;
      } catch {
        // One bad entry (or one over a limit) must not stop the others from being copied.
      }
    }
  }
  return count;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Eureka's PeerAwareInstanceRegistryImpl.syncUp: pulls the full registry of
 * the first peer that answers, retrying rounds over all peers until
 * `timeoutMs`. Peers are asked with the replication header, so a peer that
 * is itself syncing still answers (two registries starting together open
 * at once instead of waiting for each other).
 */
export async function syncFromPeers(options: PeerSyncOptions): Promise<PeerSyncOutcome> {
  // Deadlines run on wall time: an injected test clock only drives lease timestamps.
  const started = Date.now();
  const clients = options.peers.map((peer) => new PeerHttp(peer, options.requestTimeoutMs, options.authorizationFor?.(peer)));
  try {
    while (!options.signal.aborted) {
      for (const client of clients) {
        try {
          const response = await client.request('GET', '/apps');
          if (response.status !== 200 || options.signal.aborted) continue;
          const instances = importApplications(parseJsonSafely(response.body), options.store, options.now(), options.admission);
          return { peer: client.peerUrl, instances, tookMs: Date.now() - started };
        } catch {
          // Unreachable, timed out or not a registry body: ask the next peer.
        }
      }
      if (Date.now() - started + options.retryMs > options.timeoutMs) break;
      await pause(options.retryMs, options.signal);
    }
    return { peer: undefined, instances: 0, tookMs: Date.now() - started };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}
