import { type EurekaResponse, RegistryUnavailableError, eurekaRequest } from './eureka-http.js';
import { type RegistryEndpoint, orderRegistriesForZone } from './registry-urls.js';

/** What a call is, for deciding which answers count as "this server works" (Eureka's ServerStatusEvaluators.LEGACY). */
export type RegistryRequestType = 'Register' | 'Heartbeat' | 'Cancel' | 'GetApplications' | 'GetDelta' | 'GetApplication';

export interface RegistryClientOptions {
  readonly registries: readonly RegistryEndpoint[];
  /** The caller's zone: its registries come first (Spring's preferSameZoneEureka). */
  readonly zone: string;
  /** Per-request timeout (default 2 000 ms). */
  readonly requestTimeoutMs?: number;
  /** Servers tried per call (Eureka: 3). */
  readonly maxAttempts?: number;
  /** When this share of the servers is quarantined, the quarantine is cleared (Eureka: 0.66). */
  readonly quarantineRefreshPercentage?: number;
  /**
   * After a session the client forgets its current server and quarantine,
   * so the next call starts again with its own zone's registry (Eureka's
   * SessionedEurekaHttpClient: 20 min). Default 1 200 000 ms.
   */
  readonly sessionDurationMs?: number;
  /** Each session lasts sessionDurationMs ± this share of it, at random (Eureka: 0.5). */
  readonly sessionJitter?: number;
  /** Time source for sessions; tests inject one. */
  readonly now?: () => number;
  /** Randomness for the jitter, in [0, 1); tests inject one. */
  readonly random?: () => number;
}

function accepts(status: number, type: RegistryRequestType): boolean {
  if ((status >= 200 && status < 300) || status === 302) return true;
  if (status === 404 && (type === 'Register' || type === 'Heartbeat' || type === 'GetApplication')) return true;
  if (type === 'Cancel') return true;
  // A 403 on delta means "no delta here": the caller falls back to a full fetch from the same server.
  return type === 'GetDelta' && (status === 403 || status === 404);
}

/**
 * Eureka's client transport stack for one purpose (registration, or
 * queries), in one class:
 * - RetryableEurekaHttpClient: sticks to the server that last answered;
 *   when it fails (transport error, timeout, 5xx or an unacceptable
 *   status) the server is quarantined and the call is retried on the next
 *   candidate, up to maxAttempts servers. Candidates are the ordered list
 *   minus the quarantined ones; once the quarantine holds
 *   quarantineRefreshPercentage of the servers it is cleared, so a
 *   recovered server is tried again.
 * - SessionedEurekaHttpClient: every session (randomised duration) the
 *   sticky server and quarantine are dropped: that is how a client that
 *   failed over to another zone returns to its own zone's registry.
 */
export class RegistryClient {
  private readonly ordered: RegistryEndpoint[];
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly quarantineShare: number;
  private readonly sessionMs: number;
  private readonly jitter: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly quarantine = new Set<RegistryEndpoint>();
  private current: RegistryEndpoint | undefined;
  private sessionEndsAt: number;
  private sessions = 0;

  constructor(options: RegistryClientOptions) {
    if (options.registries.length === 0) throw new Error('RegistryClient: no registries configured');
    this.ordered = orderRegistriesForZone(options.registries, options.zone);
    this.timeoutMs = options.requestTimeoutMs ?? 2_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.quarantineShare = options.quarantineRefreshPercentage ?? 0.66;
    this.sessionMs = options.sessionDurationMs ?? 1_200_000;
    this.jitter = Math.min(1, Math.max(0, options.sessionJitter ?? 0.5));
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.sessionEndsAt = this.now() + this.randomSession();
  }

  /** The server the client currently sticks to (the last one that answered acceptably). */
  get registry(): RegistryEndpoint | undefined {
    return this.current;
  }

  /** Servers currently skipped when choosing a new one. */
  get quarantined(): readonly RegistryEndpoint[] {
    return [...this.quarantine];
  }

  /** Sessions ended so far (each one sent the client back to its preferred registry). */
  get sessionsEnded(): number {
    return this.sessions;
  }

  /**
   * Sends `method path` (relative to the registry base URL) to the current
   * server or the next candidates. Resolves with the first acceptable answer
   * and the server that gave it; throws RegistryUnavailableError listing
   * every failure otherwise.
   */
  async execute(
    type: RegistryRequestType,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<EurekaResponse & { readonly registry: RegistryEndpoint }> {
    this.maybeEndSession();
    const errors: string[] = [];
    let candidates: RegistryEndpoint[] | undefined;
    let next = 0;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      let registry = this.current;
      if (registry === undefined) {
        candidates ??= this.candidates();
        if (next >= candidates.length) break;
        registry = candidates[next++];
      }
      try {
        const response = await eurekaRequest(`${registry.url}${path}`, { method, body, timeoutMs: this.timeoutMs, ...(registry.authorization ? { authorization: registry.authorization } : {}) });
        if (accepts(response.status, type)) {
          this.current = registry;
          return { ...response, registry };
        }
        errors.push(`${method} ${registry.url}${path}: HTTP ${response.status}`);
      } catch (error) {
        if (!(error instanceof RegistryUnavailableError)) throw error;
        errors.push(error.message);
      }
      if (this.current === registry) this.current = undefined;
      this.quarantine.add(registry);
    }
    throw new RegistryUnavailableError(errors.length > 0 ? errors.join('; ') : 'no registry left to try');
  }

  /** Ends the session now: the next call starts from the preferred registry again. */
  resetSession(): void {
    this.current = undefined;
    this.quarantine.clear();
    this.sessionEndsAt = this.now() + this.randomSession();
  }

  private maybeEndSession(): void {
    if (this.now() < this.sessionEndsAt) return;
    this.sessions++;
    this.resetSession();
  }

  private randomSession(): number {
    return Math.max(0, Math.round(this.sessionMs * (1 + this.jitter * (2 * this.random() - 1))));
  }

  /** Eureka's getHostCandidates: the ordered list minus the quarantine, unless the quarantine is too large. */
  private candidates(): RegistryEndpoint[] {
    const threshold = Math.min(this.ordered.length, Math.floor(this.ordered.length * this.quarantineShare));
    if (this.quarantine.size === 0) return this.ordered;
    if (this.quarantine.size >= threshold) {
      this.quarantine.clear();
      return this.ordered;
    }
    return this.ordered.filter((r) => !this.quarantine.has(r));
  }
}
