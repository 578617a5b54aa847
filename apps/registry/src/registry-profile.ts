/** Named presets for the registry's timings; `eureka` mirrors Netflix defaults. */
export const REGISTRY_PROFILES = ['fast', 'eureka'] as const;
export type RegistryProfileName = (typeof REGISTRY_PROFILES)[number];

/** Everything time-related the server does, printed at start-up so nobody guesses. */
export interface RegistryTimings {
  readonly profile: RegistryProfileName;
  readonly evictionIntervalMs: number;
  readonly selfPreservation: boolean;
  readonly renewalPercentThreshold: number;
  readonly expectedClientRenewalIntervalSecs: number;
  readonly doubleLeaseOnRenewal: boolean;
  readonly capEvictionPerRun: boolean;
  readonly deltaRetentionMs: number;
  /** Peer replication: actions per batch (Eureka 250). */
  readonly replicationBatchSize: number;
  /** Peer replication: how long an action waits for a batch to fill (Eureka 500 ms). */
  readonly replicationBatchDelayMs: number;
  /** Peer replication: per-request timeout. */
  readonly replicationTimeoutMs: number;
  /** Peer replication: pending actions per peer before the oldest are dropped (Eureka 10 000). */
  readonly replicationMaxQueue: number;
  /** Peer replication: the longest backoff between retries of a failing batch. */
  readonly replicationRetryMaxMs: number;
  /** Start-up sync: reads answer 403 until a peer's registry is copied or this passes. */
  readonly peerSyncTimeoutMs: number;
  /** Start-up sync: pause between rounds over all peers. */
  readonly peerSyncRetryMs: number;
  /** Read-only response cache refresh period (Eureka 30 s); 0 serves the read-write cache directly. */
  readonly responseCacheUpdateIntervalMs: number;
  /** Read-write cache entries expire after this even without a change (Eureka 180 s): renewal timestamps move. */
  readonly responseCacheAutoExpirationMs: number;
}

const PROFILES: Record<RegistryProfileName, RegistryTimings> = {
  // For the testbed: dead instances leave within lease + 2 s, so chaos runs stay short.
  fast: {
    profile: 'fast',
    evictionIntervalMs: 2_000,
    selfPreservation: false,
    renewalPercentThreshold: 0.85,
    expectedClientRenewalIntervalSecs: 30,
    doubleLeaseOnRenewal: false,
    capEvictionPerRun: false,
    deltaRetentionMs: 180_000,
    replicationBatchSize: 250,
    replicationBatchDelayMs: 100,
    replicationTimeoutMs: 2_000,
    replicationMaxQueue: 10_000,
    replicationRetryMaxMs: 1_000,
    peerSyncTimeoutMs: 5_000,
    peerSyncRetryMs: 250,
    responseCacheUpdateIntervalMs: 0,
    responseCacheAutoExpirationMs: 1_000,
  },
  // Netflix Eureka's defaults, including its quirks, to show what production does.
  eureka: {
    profile: 'eureka',
    evictionIntervalMs: 60_000,
    selfPreservation: true,
    renewalPercentThreshold: 0.85,
    expectedClientRenewalIntervalSecs: 30,
    doubleLeaseOnRenewal: true,
    capEvictionPerRun: true,
    deltaRetentionMs: 180_000,
    replicationBatchSize: 250,
    replicationBatchDelayMs: 500,
    replicationTimeoutMs: 5_000,
    replicationMaxQueue: 10_000,
    replicationRetryMaxMs: 30_000,
    // waitTimeInMsWhenSyncEmpty: Eureka keeps an empty, unsynced registry closed for 5 minutes.
    peerSyncTimeoutMs: 300_000,
    peerSyncRetryMs: 30_000,
    responseCacheUpdateIntervalMs: 30_000,
    responseCacheAutoExpirationMs: 180_000,
  },
};

export function registryTimings(profile: RegistryProfileName): RegistryTimings {
  return PROFILES[profile];
}

export function describeTimings(t: RegistryTimings): string {
  return [
    `profile ${t.profile}`,
    `eviction every ${t.evictionIntervalMs / 1000}s${t.capEvictionPerRun ? ` (max ${Math.round((1 - t.renewalPercentThreshold) * 100)}% per run)` : ''}`,
    `self-preservation ${t.selfPreservation ? `on (threshold ${t.renewalPercentThreshold} of ${60 / t.expectedClientRenewalIntervalSecs} renews/min per instance)` : 'off'}`,
    `renewed leases expire after ${t.doubleLeaseOnRenewal ? '2x' : '1x'} duration`,
    `delta retention ${t.deltaRetentionMs / 1000}s`,
    t.responseCacheUpdateIntervalMs > 0
      ? `read-only response cache refreshed every ${t.responseCacheUpdateIntervalMs / 1000}s`
      : 'read-only response cache off',
    `replication batches of ${t.replicationBatchSize} or ${t.replicationBatchDelayMs}ms, timeout ${t.replicationTimeoutMs}ms, ` +
      `queue ${t.replicationMaxQueue}, retry backoff up to ${t.replicationRetryMaxMs}ms`,
    `start-up sync waits up to ${t.peerSyncTimeoutMs / 1000}s for a peer`,
  ].join(', ');
}
