import { AppsHashcode } from './apps-hashcode.js';
import { ExpiryIndex } from './expiry-index.js';
import { type InstanceCount, InstanceCounts } from './instance-counts.js';
import type { Clock } from './clock.js';
import type { ApplicationView, ApplicationsView } from './instance.codec.js';
import type { InstanceInfo, InstanceStatus } from './instance-info.js';
import { RenewalRate } from './renewal-rate.js';

/** Granularity of the delta window's expiry (see pruneDelta). */
const DELTA_PRUNE_STEP_MS = 1_000;

/** How leases expire and when eviction may run; see registry-profile.ts for the presets. */
export interface RegistryStoreOptions {
  readonly clock: Clock;
  /**
   * Real Eureka adds the lease duration once more on every renewal, so a
   * renewed lease expires only after 2 x duration (a bug it keeps for
   * compatibility). true reproduces that.
   */
  readonly doubleLeaseOnRenewal: boolean;
  /** While renewals of the last minute are at or below the threshold, nothing is evicted. */
  readonly selfPreservation: boolean;
  /** Eureka's renewalPercentThreshold (0.85): the self-preservation threshold and the eviction cap. */
  readonly renewalPercentThreshold: number;
  /** The renewal interval the server expects from clients (30 s): 60/it renewals per instance per minute. */
  readonly expectedClientRenewalIntervalSecs: number;
  /** Cap each eviction run at (1 - renewalPercentThreshold) of the registry, like Eureka. */
  readonly capEvictionPerRun: boolean;
  /** How long register/cancel/status changes stay in the delta (Eureka: 3 min). */
  readonly deltaRetentionMs: number;
  /**
   * Called with every new version of an instance (registered, changed,
   * cancelled) as it is stored: where the server encodes it once for all
   * later reads.
   */
  readonly onInstanceChanged?: (instance: InstanceInfo) => void;
}

/** Outcome of a heartbeat, mapped to HTTP by the controller. */
export type RenewResult =
  | { readonly code: 200 }
  | {
      readonly code: 404;
      readonly reason: string;
      /** The lease was renewed even though the client is told 404 (its copy is newer): still replicated. */
      readonly renewed: boolean;
    }
  | { readonly code: 409; readonly instance: InstanceInfo };

export interface SelfPreservationState {
  readonly enabled: boolean;
  readonly expectedRenewsPerMin: number;
  readonly renewsThreshold: number;
  readonly renewsLastMin: number;
  readonly leaseExpirationEnabled: boolean;
}

interface Lease {
  instance: InstanceInfo;
  renewed: boolean;
}

interface DeltaEntry {
  readonly at: number;
  readonly instance: InstanceInfo;
}

/**
 * The registry's pure state: leases per application, status overrides, the
 * recently-changed queue behind `/apps/delta`, and Eureka's eviction and
 * self-preservation rules. No I/O and no timers: the server calls `evict()`
 * on its schedule and the clock is injected.
 */
export class RegistryStore {
  private readonly apps = new Map<string, Map<string, Lease>>();
  private readonly overrides = new Map<string, InstanceStatus>();
  /**
   * Eureka's recentlyChangedQueue: references to the stored instance
   * versions (never copies), oldest first from `deltaHead`; expired entries
   * are skipped by moving the head and compacted now and then, so pruning
   * stays O(1) per change whatever the window holds.
   */
  private delta: DeltaEntry[] = [];
  private deltaHead = 0;
  private deltaPruned = 0;
  private version = 0;
  private changes = 0;
  private readonly hashcodeCounts = new AppsHashcode();
  private readonly groupCounts = new InstanceCounts();
  private readonly expiries = new ExpiryIndex<Lease>();
  private readonly renewals: RenewalRate;

  constructor(private readonly options: RegistryStoreOptions) {
    this.renewals = new RenewalRate(options.clock);
  }

  /** Stores or replaces a lease (Eureka AbstractInstanceRegistry.register). */
  register(incoming: InstanceInfo, replication = false): InstanceInfo {
    const now = this.options.clock.now();
    const leases = this.leasesOf(incoming.app, true);
    const existing = leases.get(incoming.instanceId)?.instance;
    // Conflicting registrations: the higher lastDirtyTimestamp wins, ties go to the incoming one.
    let registrant =
      existing !== undefined && existing.lastDirtyTimestamp > incoming.lastDirtyTimestamp ? existing : incoming;
    if (incoming.overriddenStatus !== 'UNKNOWN' && !this.overrides.has(incoming.instanceId)) {
      this.overrides.set(incoming.instanceId, incoming.overriddenStatus);
    }
    const override = this.overrides.get(incoming.instanceId);
    const status = effectiveStatus(registrant, override, existing, replication);
    const serviceUp = existing?.leaseInfo.serviceUpTimestamp || (status === 'UP' ? now : 0);
    registrant = {
      ...registrant,
      status,
      overriddenStatus: override ?? registrant.overriddenStatus,
      leaseInfo: {
        ...registrant.leaseInfo,
        registrationTimestamp: now,
        lastRenewalTimestamp: now,
        evictionTimestamp: 0,
        serviceUpTimestamp: serviceUp,
      },
      lastUpdatedTimestamp: now,
      actionType: 'ADDED',
    };
    const previous = leases.get(registrant.instanceId);
    if (previous !== undefined) this.uncount(previous.instance);
    this.count(registrant);
    const lease: Lease = { instance: registrant, renewed: false };
    leases.set(registrant.instanceId, lease);
    this.expiries.add(lease, this.expiresAt(lease));
    this.options.onInstanceChanged?.(registrant);
    this.recordChange(registrant);
    return registrant;
  }

  /** A heartbeat (Eureka InstanceResource.renewLease + registry.renew). */
  renew(
    app: string,
    id: string,
    query: { lastDirtyTimestamp?: number; overriddenStatus?: InstanceStatus } = {},
    replication = false,
  ): RenewResult {
    const lease = this.leasesOf(app)?.get(id);
    if (lease === undefined) return { code: 404, reason: 'no lease', renewed: false };
    const now = this.options.clock.now();
    const status = effectiveStatus(lease.instance, this.overrides.get(id), lease.instance, replication);
    if (status === 'UNKNOWN') return { code: 404, reason: 'status UNKNOWN (override removed?)', renewed: false };
    this.renewals.increment();
    this.renewalsTotal++;
    lease.renewed = true;
    if (status === lease.instance.status) {
      // The hot path (every instance, every renewal interval): renew in place. Copying the
      // instance would keep a second copy alive in every delta entry (RSS at 50k instances),
      // and a delta showing the live renewal time is what Eureka shows too.
      (lease.instance.leaseInfo as { lastRenewalTimestamp: number }).lastRenewalTimestamp = now;
    } else {
      // Eureka leaves this to the cache's auto-expiration; a new generation shows it to the next read at once.
      this.replaceInstance(lease, {
        ...lease.instance,
        status, // without touching lastDirtyTimestamp, like setStatusWithoutDirty
        leaseInfo: { ...lease.instance.leaseInfo, lastRenewalTimestamp: now },
      });
      this.changes++;
    }
    const sent = query.lastDirtyTimestamp;
    const stored = lease.instance.lastDirtyTimestamp;
    if (sent === undefined || sent === stored) return { code: 200 };
    if (sent > stored) {
      if (replication && query.overriddenStatus !== undefined && query.overriddenStatus !== 'UNKNOWN') {
        this.overrides.set(id, query.overriddenStatus);
      }
      return { code: 404, reason: 'sender has a newer copy', renewed: true };
    }
    return replication ? { code: 409, instance: lease.instance } : { code: 200 };
  }

  /** Removes a lease; false when there is none. */
  cancel(app: string, id: string): boolean {
    return this.remove(app, id, false);
  }

  /**
   * PUT .../status?value=S: an override that survives re-registration. Like
   * Eureka's statusUpdate, lastDirtyTimestamp only moves forward to the one
   * sent (peers then keep identical copies and heartbeats do not conflict).
   */
  setStatusOverride(app: string, id: string, status: InstanceStatus, lastDirtyTimestamp?: number): boolean {
    const lease = this.leasesOf(app)?.get(id);
    if (lease === undefined) return false;
    const now = this.options.clock.now();
    this.overrides.set(id, status);
    const previous = lease.instance;
    this.replaceInstance(lease, {
      ...previous,
      status,
      overriddenStatus: status,
      leaseInfo: {
        ...previous.leaseInfo,
        serviceUpTimestamp: previous.leaseInfo.serviceUpTimestamp || (status === 'UP' ? now : 0),
      },
      lastDirtyTimestamp: Math.max(previous.lastDirtyTimestamp, lastDirtyTimestamp ?? 0),
      lastUpdatedTimestamp: now,
      actionType: 'MODIFIED',
    });
    this.recordChange(lease.instance);
    return true;
  }

  /** DELETE .../status: drops the override; the status becomes `newStatus` (UNKNOWN forces a re-register). */
  removeStatusOverride(app: string, id: string, newStatus: InstanceStatus = 'UNKNOWN', lastDirtyTimestamp?: number): boolean {
    const lease = this.leasesOf(app)?.get(id);
    if (lease === undefined) return false;
    const now = this.options.clock.now();
    this.overrides.delete(id);
    this.replaceInstance(lease, {
      ...lease.instance,
      status: newStatus,
      overriddenStatus: 'UNKNOWN',
      lastDirtyTimestamp: Math.max(lease.instance.lastDirtyTimestamp, lastDirtyTimestamp ?? 0),
      lastUpdatedTimestamp: now,
      actionType: 'MODIFIED',
    });
    this.recordChange(lease.instance);
    return true;
  }

  /** PUT .../metadata?k=v: merges entries and marks the instance dirty. */
  updateMetadata(app: string, id: string, entries: Readonly<Record<string, string>>): boolean {
    const lease = this.leasesOf(app)?.get(id);
    if (lease === undefined) return false;
    const now = this.options.clock.now();
    this.replaceInstance(lease, {
      ...lease.instance,
      metadata: { ...lease.instance.metadata, ...entries },
      lastDirtyTimestamp: now,
      lastUpdatedTimestamp: now,
      actionType: 'MODIFIED',
    });
    this.recordChange(lease.instance);
    return true;
  }

  /**
   * One eviction run (Eureka AbstractInstanceRegistry.evict): nothing while
   * self-preservation holds; otherwise expired leases, at most the capped
   * share of the registry. Looks only at the leases whose expiry came due
   * (see ExpiryIndex). Returns the evicted instances.
   */
  evict(): InstanceInfo[] {
    const now = this.options.clock.now();
    const expired: Lease[] = [];
    for (const lease of this.expiries.takeDue(now)) {
      // Filed leases that were cancelled or replaced by a re-registration since are dropped here.
      if (this.leasesOf(lease.instance.app)?.get(lease.instance.instanceId) !== lease) continue;
      if (this.isExpired(lease, now)) expired.push(lease);
      else this.expiries.add(lease, this.expiresAt(lease));
    }
    let limit = this.isLeaseExpirationEnabled() ? expired.length : 0;
    if (this.options.capEvictionPerRun) {
      const size = this.size();
      limit = Math.min(limit, size - Math.floor(size * this.options.renewalPercentThreshold));
    }
    // Eureka picks randomly among the expired so no application is evicted first systematically.
    for (let i = expired.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [expired[i], expired[j]] = [expired[j], expired[i]];
    }
    // Expired but spared (self-preservation, the cap): due again at the next run.
    for (const lease of expired.slice(limit)) this.expiries.add(lease, this.expiresAt(lease));
    const evicted = expired.slice(0, limit).map((lease) => lease.instance);
    this.evictionsTotal += evicted.length;
    for (const instance of evicted) this.remove(instance.app, instance.instanceId, true);
    return evicted;
  }

  isLeaseExpirationEnabled(): boolean {
    return this.selfPreservationState().leaseExpirationEnabled;
  }

  selfPreservationState(): SelfPreservationState {
    const expectedRenewsPerMin = this.size() * (60 / this.options.expectedClientRenewalIntervalSecs);
    const renewsThreshold = Math.floor(expectedRenewsPerMin * this.options.renewalPercentThreshold);
    const renewsLastMin = this.renewals.lastBucket();
    const enabled = this.options.selfPreservation;
    return {
      enabled,
      expectedRenewsPerMin,
      renewsThreshold,
      renewsLastMin,
      leaseExpirationEnabled: !enabled || (renewsThreshold > 0 && renewsLastMin > renewsThreshold),
    };
  }

  /**
   * Grows on every register, cancel, status or metadata change (not on
   * renewals): the read-write response cache is valid while it stays put.
   */
  get generation(): number {
    return this.changes;
  }

  /**
   * Names the current content of `/apps/delta`: it moves when a change is
   * recorded and when changes leave the retention window, so equal tags mean
   * an identical delta (the ETag behind a 304).
   */
  deltaTag(): string {
    this.pruneDelta();
    return `${this.version}.${this.deltaPruned}`;
  }

  /** The status override of an instance, if any (replicated with heartbeats). */
  overrideOf(id: string): InstanceStatus | undefined {
    return this.overrides.get(id);
  }

  /** Renewals accepted since start (metrics). */
  renewalsTotal = 0;
  /** Instances evicted since start (metrics). */
  evictionsTotal = 0;

  /** Instance counts by application, instance zone (metadata `zone`) and status, for metrics; kept as changes happen. */
  instanceCounts(): InstanceCount[] {
    return this.groupCounts.snapshot();
  }

  size(): number {
    return this.hashcodeCounts.size;
  }

  /** Instances of one application, without copying them (the limits check it on every registration). */
  applicationSize(app: string): number {
    return this.leasesOf(app)?.size ?? 0;
  }

  /** Every application with at least one instance, for `GET /apps`. */
  applications(): ApplicationsView {
    const applications: ApplicationView[] = [];
    for (const [name, leases] of this.apps) {
      if (leases.size > 0) applications.push({ name, instances: [...leases.values()].map((l) => l.instance) });
    }
    return { versionsDelta: 1, appsHashcode: this.hashcode(), applications };
  }

  /** Changes of the retention window, latest state per instance, for `GET /apps/delta`. */
  deltas(): ApplicationsView {
    this.pruneDelta();
    const byApp = new Map<string, Map<string, InstanceInfo>>();
    for (let i = this.deltaHead; i < this.delta.length; i++) {
      const entry = this.delta[i];
      let instances = byApp.get(entry.instance.app);
      if (instances === undefined) byApp.set(entry.instance.app, (instances = new Map()));
      instances.set(entry.instance.instanceId, entry.instance);
    }
    const applications = [...byApp].map(([name, instances]) => ({ name, instances: [...instances.values()] }));
    return { versionsDelta: this.version, appsHashcode: this.hashcode(), applications };
  }

  application(app: string): ApplicationView | undefined {
    const leases = this.leasesOf(app);
    if (leases === undefined || leases.size === 0) return undefined;
    return { name: app.toUpperCase(), instances: [...leases.values()].map((l) => l.instance) };
  }

  instance(app: string, id: string): InstanceInfo | undefined {
    return this.leasesOf(app)?.get(id)?.instance;
  }

  /** `GET /instances/{id}`: searches every application. */
  findInstance(id: string): InstanceInfo | undefined {
    for (const leases of this.apps.values()) {
      const lease = leases.get(id);
      if (lease !== undefined) return lease.instance;
    }
    return undefined;
  }

  hashcode(): string {
    return this.hashcodeCounts.value;
  }

  private count(instance: InstanceInfo): void {
    this.hashcodeCounts.add(instance.status);
    this.groupCounts.add(instance);
  }

  private uncount(instance: InstanceInfo): void {
    this.hashcodeCounts.remove(instance.status);
    this.groupCounts.remove(instance);
  }

  private isExpired(lease: Lease, now: number): boolean {
    return now > this.expiresAt(lease);
  }

  private expiresAt(lease: Lease): number {
    const info = lease.instance.leaseInfo;
    const factor = this.options.doubleLeaseOnRenewal && lease.renewed ? 2 : 1;
    return info.lastRenewalTimestamp + info.durationInSecs * 1000 * factor;
  }

  private remove(app: string, id: string, evicted: boolean): boolean {
    const leases = this.leasesOf(app);
    const lease = leases?.get(id);
    if (leases === undefined || lease === undefined) return false;
    leases.delete(id);
    this.uncount(lease.instance);
    if (leases.size === 0) this.apps.delete(app.toUpperCase());
    this.overrides.delete(id);
    const now = this.options.clock.now();
    const deleted: InstanceInfo = {
      ...lease.instance,
      leaseInfo: { ...lease.instance.leaseInfo, evictionTimestamp: evicted ? now : lease.instance.leaseInfo.evictionTimestamp },
      lastUpdatedTimestamp: now,
      actionType: 'DELETED',
    };
    this.options.onInstanceChanged?.(deleted);
    this.recordChange(deleted);
    return true;
  }

  private leasesOf(app: string, create: true): Map<string, Lease>;
  private leasesOf(app: string, create?: false): Map<string, Lease> | undefined;
  private leasesOf(app: string, create = false): Map<string, Lease> | undefined {
    const key = app.toUpperCase();
    let leases = this.apps.get(key);
    if (leases === undefined && create) this.apps.set(key, (leases = new Map()));
    return leases;
  }

  /** Swaps in a new version of a leased instance, keeping the status counts right. */
  private replaceInstance(lease: Lease, next: InstanceInfo): void {
    this.uncount(lease.instance);
    this.count(next);
    lease.instance = next;
    this.options.onInstanceChanged?.(next);
  }

  private recordChange(instance: InstanceInfo): void {
    this.version++;
    this.changes++;
    this.delta.push({ at: this.options.clock.now(), instance });
    this.pruneDelta();
  }

  private pruneDelta(): void {
    // Entries leave at whole seconds only (each stays at least the retention): the delta's tag then
    // moves at most once a second as the window drains, so after a mass registration the pollers
    // of one second share one build of a registry-sized delta instead of each causing its own.
    const oldest = Math.floor((this.options.clock.now() - this.options.deltaRetentionMs) / DELTA_PRUNE_STEP_MS) * DELTA_PRUNE_STEP_MS;
    const head = this.deltaHead;
    while (this.deltaHead < this.delta.length && this.delta[this.deltaHead].at < oldest) this.deltaHead++;
    if (this.deltaHead === head) return;
    this.deltaPruned++;
    // Compact once the expired prefix is at least half the array: amortised O(1) per entry.
    if (this.deltaHead * 2 >= this.delta.length) {
      this.delta = this.delta.slice(this.deltaHead);
      this.deltaHead = 0;
    }
  }
}

/**
 * Eureka's InstanceStatusOverrideRule chain: DOWN/STARTING from the instance
 * win; then an override; then, for non-replicated calls, an existing lease
 * that is UP/OUT_OF_SERVICE; else the instance's own status.
 */
function effectiveStatus(
  instance: InstanceInfo,
  override: InstanceStatus | undefined,
  existing: InstanceInfo | undefined,
  replication: boolean,
): InstanceStatus {
  if (instance.status !== 'UP' && instance.status !== 'OUT_OF_SERVICE') return instance.status;
  if (override !== undefined) return override;
  if (!replication && existing !== undefined && (existing.status === 'UP' || existing.status === 'OUT_OF_SERVICE')) {
    return existing.status;
  }
  return instance.status;
}
