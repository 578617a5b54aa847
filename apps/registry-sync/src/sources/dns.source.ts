import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DnsSourceConfig } from '../sync-config.js';
import type { SyncInstance } from '../sync-instance.js';
import type { InstanceSource, InstanceSourceUpdate } from './instance-source.js';

/** The lookups the DNS source needs (node's dns.promises.Resolver has them); injectable for tests. */
export interface DnsLookup {
  resolveSrv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  resolve4(name: string): Promise<string[]>;
}

export interface DnsSourceOptions extends DnsSourceConfig {
  /** DNS carries no zone: every instance gets the syncer's zone. */
  readonly zone: string;
  readonly lookup?: DnsLookup;
}

/** Codes meaning "the name exists and has no such record": an empty list, not a failure. */
const EMPTY_ANSWER = new Set(['ENODATA']);

/**
 * Instances behind a DNS name, re-resolved every `intervalMs`: SRV records
 * (target resolved to IPv4 addresses, SRV port, weight into metadata) or A
 * records (configured port). A failed lookup (timeout, refused, NXDOMAIN) is
 * reported as an error, so the syncer keeps the last good list; only an
 * answer without records (NODATA) empties it.
 */
export class DnsSource implements InstanceSource {
  readonly description: string;
  private readonly lookup: DnsLookup;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: DnsSourceOptions) {
    this.description = `dns ${options.record} ${options.name}`;
    if (options.lookup) {
      this.lookup = options.lookup;
    } else {
      const resolver = new Resolver({ timeout: Math.min(2_000, options.intervalMs), tries: 2 });
      if (options.servers.length > 0) resolver.setServers([...options.servers]);
      this.lookup = resolver;
    }
  }

  start(listener: (update: InstanceSourceUpdate) => void): void {
    const poll = (): void => {
      this.running = this.resolve().then(
        (instances) => {
          if (!this.stopped) listener({ instances });
        },
        (error: unknown) => {
          if (!this.stopped) listener({ error: new Error(`${this.description}: ${(error as { code?: string }).code ?? (error as Error).message}`) });
        },
      );
      void this.running.then(() => {
        if (this.stopped) return;
        this.timer = setTimeout(poll, this.options.intervalMs);
        this.timer.unref();
      });
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async resolve(): Promise<SyncInstance[]> {
    const app = this.options.app.toUpperCase();
    const targets: Array<{ host: string; port: number; metadata: Record<string, string> }> = [];
    if (this.options.record === 'A') {
      for (const ip of await this.records(() => this.lookup.resolve4(this.options.name))) targets.push({ host: ip, port: this.options.port!, metadata: {} });
    } else {
      for (const srv of await this.records(() => this.lookup.resolveSrv(this.options.name))) {
        const ips = isIP(srv.name) ? [srv.name] : await this.records(() => this.lookup.resolve4(srv.name));
        for (const ip of ips) {
          targets.push({ host: ip, port: srv.port, metadata: { 'dns.target': srv.name, weight: String(srv.weight), priority: String(srv.priority) } });
        }
      }
    }
    const seen = new Set<string>();
    return targets
      .filter((t) => !seen.has(`${t.host}:${t.port}`) && seen.add(`${t.host}:${t.port}`))
      .map((t) => ({
        app,
        instanceId: `${t.host}:${t.port}`,
        host: t.host,
        port: t.port,
        zone: this.options.zone,
        metadata: { 'dns.name': this.options.name, ...t.metadata },
      }))
      .sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  }

  private async records<T>(query: () => Promise<T[]>): Promise<T[]> {
    try {
      return await query();
    } catch (error) {
      if (EMPTY_ANSWER.has((error as { code?: string }).code ?? '')) return [];
      throw error;
    }
  }
}
