import { type EurekaInstanceSpec, eurekaInstanceBody } from './eureka-instance.js';
import { RegistryUnavailableError, eurekaRequest } from './eureka-http.js';
import { type RegistryEndpoint, orderRegistriesForZone } from './registry-urls.js';

/** Something a service may want to log; the registration itself never logs. */
export type RegistrationEvent =
  | { readonly kind: 'registered'; readonly registry: RegistryEndpoint }
  | { readonly kind: 'register-failed'; readonly errors: readonly string[] }
  | { readonly kind: 'heartbeat-lost'; readonly registry: RegistryEndpoint; readonly reason: string }
  | { readonly kind: 'deregistered'; readonly registry: RegistryEndpoint };

export interface EurekaRegistrationOptions extends EurekaInstanceSpec {
  /** All registries; the ones of `zone` are tried first, the others are the fallback. */
  readonly registries: readonly RegistryEndpoint[];
  /** Per-request timeout (default 2 000 ms): a dead registry must not stall heartbeats. */
  readonly requestTimeoutMs?: number;
  readonly onEvent?: (event: RegistrationEvent) => void;
}

/**
 * Keeps one instance registered in Eureka: registers in its own zone's
 * registry, falling back to other zones' registries when that fails;
 * heartbeats every renewalIntervalMs; re-registers on a 404 heartbeat (lease
 * lost, registry restarted) and on an unreachable registry (trying the own
 * zone first again, which is also how it returns there). `stop()`
 * deregisters. Quarantine of failing registries and sessioned failback come later.
 */
export class EurekaRegistration {
  private readonly ordered: RegistryEndpoint[];
  private readonly timeoutMs: number;
  private readonly renewalMs: number;
  private readonly lastDirtyTimestamp = Date.now();
  private current: RegistryEndpoint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly options: EurekaRegistrationOptions) {
    if (options.registries.length === 0) throw new Error(`EurekaRegistration(${options.app}): no registries configured`);
    this.ordered = orderRegistriesForZone(options.registries, options.zone);
    this.timeoutMs = options.requestTimeoutMs ?? 2_000;
    this.renewalMs = options.renewalIntervalMs ?? 30_000;
  }

  /** The registry holding our lease, or undefined while unregistered. */
  get registry(): RegistryEndpoint | undefined {
    return this.current;
  }

  /**
   * Registers (own zone first) and starts heartbeats. Resolves true once
   * registered somewhere; false when every registry failed — heartbeat ticks
   * then keep retrying, so a service can start before its registry.
   */
  async start(): Promise<boolean> {
    if (this.running) return this.current !== undefined;
    this.running = true;
    this.tick = this.register();
    await this.tick;
    this.schedule();
    return this.current !== undefined;
  }

  /** Stops heartbeats and deregisters (best effort, one attempt). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    await this.tick;
    const registry = this.current;
    this.current = undefined;
    if (registry === undefined) return;
    try {
      await eurekaRequest(this.instanceUrl(registry), { method: 'DELETE', timeoutMs: this.timeoutMs });
      this.options.onEvent?.({ kind: 'deregistered', registry });
    } catch {
      // The lease expires on its own; a dead registry must not block shutdown.
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.tick = this.heartbeat().finally(() => this.schedule());
    }, this.renewalMs);
    this.timer.unref();
  }

  private async heartbeat(): Promise<void> {
    const registry = this.current;
    if (registry === undefined) return this.register();
    try {
      const url = `${this.instanceUrl(registry)}?status=UP&lastDirtyTimestamp=${this.lastDirtyTimestamp}`;
      const response = await eurekaRequest(url, { method: 'PUT', timeoutMs: this.timeoutMs });
      if (response.status === 200) return;
      this.lost(registry, `heartbeat answered ${response.status}`);
    } catch (error) {
      this.lost(registry, (error as Error).message);
    }
    if (this.running) await this.register();
  }

  private lost(registry: RegistryEndpoint, reason: string): void {
    this.current = undefined;
    this.options.onEvent?.({ kind: 'heartbeat-lost', registry, reason });
  }

  private async register(): Promise<void> {
    const body = eurekaInstanceBody(this.options, this.lastDirtyTimestamp);
    const errors: string[] = [];
    for (const registry of this.ordered) {
      if (!this.running) return;
      try {
        const response = await eurekaRequest(`${registry.url}/apps/${encodeURIComponent(this.options.app.toUpperCase())}`, {
          method: 'POST',
          body,
          timeoutMs: this.timeoutMs,
        });
        if (response.status === 204) {
          this.current = registry;
          this.options.onEvent?.({ kind: 'registered', registry });
          return;
        }
        errors.push(`${registry.url}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
      } catch (error) {
        if (!(error instanceof RegistryUnavailableError)) throw error;
        errors.push(error.message);
      }
    }
    this.options.onEvent?.({ kind: 'register-failed', errors });
  }

  private instanceUrl(registry: RegistryEndpoint): string {
    return `${registry.url}/apps/${encodeURIComponent(this.options.app.toUpperCase())}/${encodeURIComponent(this.options.instanceId)}`;
  }
}
