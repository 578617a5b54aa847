import { type EurekaInstanceSpec, eurekaInstanceBody } from './eureka-instance.js';
import { RegistryUnavailableError } from './eureka-http.js';
import { RegistryClient, type RegistryClientOptions } from './registry-client.js';
import type { RegistryEndpoint } from './registry-urls.js';

/** Something a service may want to log; the registration itself never logs. */
export type RegistrationEvent =
  | { readonly kind: 'registered'; readonly registry: RegistryEndpoint }
  | { readonly kind: 'register-failed'; readonly errors: readonly string[] }
  /** A registry answered the heartbeat 404: the instance registers again. */
  | { readonly kind: 'heartbeat-lost'; readonly registry: RegistryEndpoint; readonly reason: string }
  /** No registry answered the heartbeat; the next tick tries again. */
  | { readonly kind: 'heartbeat-failed'; readonly errors: readonly string[] }
  /** Heartbeats now reach another registry (failover, or back home after a session). */
  | { readonly kind: 'renewing'; readonly registry: RegistryEndpoint }
  | { readonly kind: 'deregistered'; readonly registry: RegistryEndpoint };

export interface EurekaRegistrationOptions
  extends EurekaInstanceSpec,
    Pick<
      RegistryClientOptions,
      'requestTimeoutMs' | 'maxAttempts' | 'quarantineRefreshPercentage' | 'sessionDurationMs' | 'sessionJitter' | 'now' | 'random'
    > {
  /** All registries; the ones of `zone` are tried first, the others are the fallback. */
  readonly registries: readonly RegistryEndpoint[];
  readonly onEvent?: (event: RegistrationEvent) => void;
}

/**
 * Keeps one instance registered in Eureka, as the Eureka client does:
 * registers in its own zone's registry; heartbeats every renewalIntervalMs
 * through a RegistryClient that sticks to the registry that answered, fails
 * over to the next one (quarantining failing ones) when it stops answering
 * — the heartbeat then usually finds the lease already there, replicated —
 * and re-registers wherever a heartbeat answers 404. Every session
 * (sessionDurationMs ± sessionJitter) the client starts again from its own
 * zone's registry: that is how it returns home after a failover.
 * `stop()` deregisters.
 */
export class EurekaRegistration {
  private readonly client: RegistryClient;
  private readonly renewalMs: number;
  private readonly lastDirtyTimestamp = Date.now();
  private readonly appPath: string;
  private readonly instancePath: string;
  private registered = false;
  private lastRenewedAt: RegistryEndpoint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly options: EurekaRegistrationOptions) {
    if (options.registries.length === 0) throw new Error(`EurekaRegistration(${options.app}): no registries configured`);
    this.client = new RegistryClient(options);
    this.renewalMs = options.renewalIntervalMs ?? 30_000;
    this.appPath = `/apps/${encodeURIComponent(options.app.toUpperCase())}`;
    this.instancePath = `${this.appPath}/${encodeURIComponent(options.instanceId)}`;
  }

  /** The registry holding (and renewing) our lease, or undefined while unregistered. */
  get registry(): RegistryEndpoint | undefined {
    return this.registered ? this.client.registry : undefined;
  }

  /** The transport: quarantine and session state, for tests and diagnostics. */
  get transport(): RegistryClient {
    return this.client;
  }

  /**
   * Registers (own zone first) and starts heartbeats. Resolves true once
   * registered somewhere; false when every registry failed — heartbeat ticks
   * then keep retrying, so a service can start before its registry.
   */
  async start(): Promise<boolean> {
    if (this.running) return this.registered;
    this.running = true;
    this.tick = this.register();
    await this.tick;
    this.schedule();
    return this.registered;
  }

  /** Stops heartbeats and deregisters (best effort, one attempt). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    await this.tick;
    const wasRegistered = this.registered;
    this.registered = false;
    if (!wasRegistered) return;
    try {
      const response = await this.client.execute('Cancel', 'DELETE', this.instancePath);
      this.options.onEvent?.({ kind: 'deregistered', registry: response.registry });
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
    if (!this.registered) return this.register();
    let response;
    try {
      response = await this.client.execute(
        'Heartbeat',
        'PUT',
        `${this.instancePath}?status=UP&lastDirtyTimestamp=${this.lastDirtyTimestamp}`,
      );
    } catch (error) {
      // Every candidate failed: stay "registered" (the lease lives on in the
      // replicated registries) and try again next tick.
      this.options.onEvent?.({ kind: 'heartbeat-failed', errors: [(error as Error).message] });
      return;
    }
    if (response.status === 404) {
      this.registered = false;
      this.options.onEvent?.({ kind: 'heartbeat-lost', registry: response.registry, reason: 'heartbeat answered 404' });
      if (this.running) await this.register();
      return;
    }
    if (response.registry !== this.lastRenewedAt) {
      this.lastRenewedAt = response.registry;
      this.options.onEvent?.({ kind: 'renewing', registry: response.registry });
    }
  }

  private async register(): Promise<void> {
    if (!this.running) return;
    const body = eurekaInstanceBody(this.options, this.lastDirtyTimestamp);
    try {
      const response = await this.client.execute('Register', 'POST', this.appPath, body);
      if (response.status === 204) {
        this.registered = true;
        this.lastRenewedAt = response.registry;
        this.options.onEvent?.({ kind: 'registered', registry: response.registry });
        return;
      }
      this.options.onEvent?.({
        kind: 'register-failed',
        errors: [`${response.registry.url}: HTTP ${response.status} ${response.body.slice(0, 200)}`],
      });
    } catch (error) {
      if (!(error instanceof RegistryUnavailableError)) throw error;
      this.options.onEvent?.({ kind: 'register-failed', errors: [error.message] });
    }
  }
}
