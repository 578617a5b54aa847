import { ErrProxyAlreadyExists, ErrProxyNotFound, toApiError, type ApiError } from '../api-error.js';
import { Proxy } from './proxy.js';
import type { ProxyConfig } from './proxy-config.js';
import type { ListenGuard } from './listen-guard.js';
import { DEFAULT_PROXY_LIMITS, type ProxyLimits } from './proxy-limits.js';

/** Outcome of a populate: the proxies applied so far, and the error that stopped it. */
export interface PopulateResult {
  proxies: Proxy[];
  error?: ApiError;
}

/** The set of proxies by name (Toxiproxy's ProxyCollection). */
export class ProxyManager {
  private readonly proxies = new Map<string, Proxy>();

  /** `guard` refuses listen addresses the server does not allow (every proxy it creates); `limits` bound each proxy. */
  constructor(
    private readonly guard?: ListenGuard,
    private readonly limits: ProxyLimits = DEFAULT_PROXY_LIMITS,
  ) {}

  /** Every proxy, sorted by name like Go's JSON encoding of a map. */
  all(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw ErrProxyNotFound;
    return proxy;
  }

  /** Add a new proxy; the name is checked before binding, and nothing is kept if binding fails. */
  async create(config: ProxyConfig): Promise<Proxy> {
    if (this.proxies.has(config.name)) throw ErrProxyAlreadyExists;
    const proxy = new Proxy(config.name, config.listen, config.upstream, this.guard, this.limits);
    if (config.enabled ?? true) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }

  /**
   * Apply proxies in order: an existing proxy with the same listen and upstream
   * is kept untouched (toxics and connections included); a changed one is
   * replaced. Stops at the first failure.
   */
  async populate(configs: readonly ProxyConfig[]): Promise<PopulateResult> {
    const proxies: Proxy[] = [];
    for (const config of configs) {
      try {
        proxies.push(await this.addOrReplace(config));
      } catch (error) {
        return { proxies, error: toApiError(error) };
      }
    }
    return { proxies };
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    this.proxies.delete(name);
  }

  /** POST /reset: re-enable every proxy and remove all toxics. */
  async reset(): Promise<void> {
    for (const proxy of this.all()) {
      await proxy.start();
      proxy.toxics.clear();
    }
  }

  /** Stop and forget every proxy. */
  async clear(): Promise<void> {
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
  }

  private async addOrReplace(config: ProxyConfig): Promise<Proxy> {
    const existing = this.proxies.get(config.name);
    if (existing) {
      if (existing.listen === config.listen && existing.upstream === config.upstream) return existing;
      await existing.stop();
    }
    const proxy = new Proxy(config.name, config.listen, config.upstream, this.guard, this.limits);
    if (config.enabled ?? true) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }
}
