import { decodeRegistration } from '../instance.codec.js';
import type { InstanceInfo } from '../instance-info.js';
import type { RegistryStore } from '../registry.store.js';
import { type PeerReplicationStats, PeerEurekaNode } from './peer-eureka-node.js';
import { type ReplicationAction, replicationItem } from './replication-action.js';

/** Replication settings shared by all peers (see registry-profile.ts for the presets). */
export interface ReplicationFanOutOptions {
  readonly batchSize: number;
  readonly batchDelayMs: number;
  readonly timeoutMs: number;
  /** The `Authorization` header for one peer (its URL as passed here, without credentials). */
  readonly authorizationFor?: (peer: string) => string | undefined;
  readonly maxQueue: number;
  readonly retryMaxMs: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/** The replication state of the whole registry: what a metrics endpoint exports. */
export interface ReplicationStats {
  /** Unacknowledged actions summed over peers. */
  readonly queueLength: number;
  /** The worst peer's lag: age of its oldest unacknowledged action, in ms. */
  readonly lagMs: number;
  readonly droppedItems: number;
  readonly peers: readonly PeerReplicationStats[];
}

/**
 * Fans every locally received change out to one PeerEurekaNode per peer (Eureka's
 * PeerAwareInstanceRegistryImpl.replicateToPeers). Only actions received
 * from clients come here: the controller never passes replicated ones, so
 * there are no replication loops.
 */
export class ReplicationFanOut {
  private readonly nodes: PeerEurekaNode[];

  constructor(
    peers: readonly string[],
    private readonly store: RegistryStore,
    options: ReplicationFanOutOptions,
  ) {
    this.nodes = peers.map(
      (peer) =>
        new PeerEurekaNode(peer, {
          ...options,
          authorization: options.authorizationFor?.(peer),
          // Lag is operational: wall time, whatever clock drives the leases.
          now: () => Date.now(),
          retryBaseMs: Math.min(100, options.retryMaxMs),
          registerItemFor: (app, id) => {
            const instance = store.instance(app, id);
            return instance === undefined ? undefined : replicationItem('Register', instance, store.overrideOf(id));
          },
          adoptPeerCopy: (body) => {
            try {
              const copy = decodeRegistration({ instance: body }, String(body.app ?? ''), options.now());
              store.register(copy, true);
              options.log(`replication: took ${peer}'s newer copy of ${copy.app}/${copy.instanceId}`);
            } catch (error) {
              options.log(`replication: ignored an invalid instance from ${peer}: ${(error as Error).message}`);
            }
          },
        }),
    );
  }

  get enabled(): boolean {
    return this.nodes.length > 0;
  }

  /** Queues `action` on `instance` (its state after the action) for every peer. */
  replicate(action: ReplicationAction, instance: InstanceInfo): void {
    if (this.nodes.length === 0) return;
    const item = replicationItem(action, instance, this.store.overrideOf(instance.instanceId));
    for (const node of this.nodes) node.enqueue(item);
  }

  stats(): ReplicationStats {
    const peers = this.nodes.map((r) => r.stats());
    return {
      queueLength: peers.reduce((sum, p) => sum + p.queueLength, 0),
      lagMs: peers.reduce((max, p) => Math.max(max, p.lagMs), 0),
      droppedItems: peers.reduce((sum, p) => sum + p.droppedItems, 0),
      peers,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((r) => r.close()));
  }
}
