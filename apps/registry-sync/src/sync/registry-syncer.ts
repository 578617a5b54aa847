import type { EurekaRegistrar } from '../eureka/eureka-registrar.js';
import type { InstanceSource, InstanceSourceUpdate } from '../sources/instance-source.js';
import type { SyncLog } from '../sync-log.js';
import { type SyncInstance, findDuplicate, instanceKey, sameInstance } from '../sync-instance.js';

export interface RegistrySyncerOptions {
  readonly source: InstanceSource;
  readonly registrar: EurekaRegistrar;
  readonly renewalIntervalMs: number;
  readonly log: SyncLog;
}

/** What the syncer holds, for tests and an admin view. */
export interface SyncerState {
  /** The source's last good list has been applied at least once. */
  readonly sourceReady: boolean;
  /** Registrations of a previous run were looked up and the stale ones removed. */
  readonly startupCleanupDone: boolean;
  readonly desired: readonly string[];
  readonly registered: readonly string[];
  /** Registered in intent, but the last register call failed: retried at the next tick. */
  readonly pending: readonly string[];
}

/**
 * Keeps the registry equal to the source: registers new instances, re-registers
 * changed ones, heartbeats all of them, unregisters the ones that disappear.
 * Start-up reconciliation: registrations marked with this syncer's id that
 * the source no longer lists (a previous run's, killed without goodbye) are
 * removed, so a restart leaves exactly the source's instances.
 * Every registry call runs on one queue: a heartbeat answered 404 can never
 * resurrect an instance being unregistered. A failing source changes nothing.
 */
export class RegistrySyncer {
  private desired = new Map<string, SyncInstance>();
  /** Instances the registry should hold now, as last registered. */
  private readonly registered = new Map<string, SyncInstance>();
  /** Registered but not (successfully) re-registered since their last change. */
  private readonly pending = new Set<string>();
  private sourceReady = false;
  private startupCleanupDone = false;
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: RegistrySyncerOptions) {}

  start(): void {
    this.options.log('sync-started', { source: this.options.source.description });
    this.options.source.start((update) => this.onSourceUpdate(update));
    this.timer = setInterval(() => this.enqueue(() => this.tick()), this.options.renewalIntervalMs);
    this.timer.unref();
  }

  /** Stops syncing; registrations stay (their leases run out unless another syncer takes over). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.options.source.stop();
    await this.queue;
  }

  /** Resolves once every queued registry call has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  state(): SyncerState {
    return {
      sourceReady: this.sourceReady,
      startupCleanupDone: this.startupCleanupDone,
      desired: [...this.desired.keys()].sort(),
      registered: [...this.registered.keys()].sort(),
      pending: [...this.pending].sort(),
    };
  }

  private onSourceUpdate(update: InstanceSourceUpdate): void {
    if ('error' in update) {
      this.options.log('source-error', { source: this.options.source.description, error: update.error.message, kept: this.desired.size });
      return;
    }
    const duplicate = findDuplicate(update.instances);
    if (duplicate !== undefined) {
      this.options.log('source-error', {
        source: this.options.source.description,
        error: `instance ${duplicate} is listed twice; keeping the last good list`,
        kept: this.desired.size,
      });
      return;
    }
    this.desired = new Map(update.instances.map((i) => [instanceKey(i), i]));
    this.sourceReady = true;
    this.options.log('source-update', { source: this.options.source.description, instances: this.desired.size });
    this.enqueue(() => this.reconcile());
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await work();
      } catch (error) {
        this.options.log('sync-error', { error: (error as Error).message });
      }
    });
  }

  /** Brings the registry to the desired list; what fails is retried at the next tick. */
  private async reconcile(): Promise<void> {
    // Without a first good list, "not in the source" means "not known yet": delete nothing, register nothing.
    if (!this.sourceReady) return;
    if (!this.startupCleanupDone) await this.cleanUpPreviousRun();
    for (const [key, instance] of this.desired) {
      const current = this.registered.get(key);
      if (current && sameInstance(current, instance) && !this.pending.has(key)) continue;
      await this.register(key, instance, current ? 'changed' : 'new');
    }
    for (const [key, instance] of [...this.registered]) {
      if (this.desired.has(key)) continue;
      try {
        const known = await this.options.registrar.unregister(instance);
        this.registered.delete(key);
        this.pending.delete(key);
        this.options.log('unregistered', { app: instance.app, id: instance.instanceId, known });
      } catch (error) {
        this.options.log('unregister-failed', { app: instance.app, id: instance.instanceId, error: (error as Error).message });
      }
    }
  }

  private async cleanUpPreviousRun(): Promise<void> {
    let owned;
    try {
      owned = await this.options.registrar.ownedRegistrations();
    } catch (error) {
      this.options.log('startup-reconcile-failed', { error: (error as Error).message, retryInMs: this.options.renewalIntervalMs });
      return;
    }
    let removed = 0;
    for (const registration of owned) {
      const key = instanceKey(registration);
      if (this.desired.has(key) || this.registered.has(key)) continue;
      await this.options.registrar.unregister(registration);
      removed += 1;
      this.options.log('unregistered', { app: registration.app, id: registration.instanceId, reason: 'stale from a previous run' });
    }
    this.startupCleanupDone = true;
    this.options.log('startup-reconciled', { owned: owned.length, removed });
  }

  private async register(key: string, instance: SyncInstance, why: 'new' | 'changed' | 'lease lost'): Promise<void> {
    try {
      const response = await this.options.registrar.register(instance);
      this.registered.set(key, instance);
      this.pending.delete(key);
      this.options.log('registered', { app: instance.app, id: instance.instanceId, zone: instance.zone, why, registry: response.endpoint.id });
    } catch (error) {
      // Keep it registered-in-intent: the next tick retries, and a changed instance is not unregistered meanwhile.
      this.registered.set(key, instance);
      this.pending.add(key);
      this.options.log('register-failed', { app: instance.app, id: instance.instanceId, error: (error as Error).message });
    }
  }

  private async tick(): Promise<void> {
    await this.reconcile();
    for (const [key, instance] of this.registered) {
      if (this.pending.has(key) || !this.desired.has(key)) continue;
      try {
        if ((await this.options.registrar.heartbeat(instance)) === 'unknown') await this.register(key, instance, 'lease lost');
      } catch (error) {
        this.options.log('heartbeat-failed', { app: instance.app, id: instance.instanceId, error: (error as Error).message });
      }
    }
  }
}
