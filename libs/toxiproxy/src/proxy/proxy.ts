import { createServer, type Server, type Socket } from 'node:net';
import { ApiError } from '../api-error.js';
import { ToxicCollection } from '../toxics/toxic-collection.js';
import { toxicJson, type Direction, type ToxicJson } from '../toxics/toxic-definition.js';
import { Connection } from './connection.js';
import { AddressError, joinHostPort, parseUpstream, resolveListen, type ListenTarget } from './listen-address.js';
import type { ListenGuard } from './listen-guard.js';
import { DEFAULT_PROXY_LIMITS, type ProxyLimits, type RefusalReason } from './proxy-limits.js';

/** The proxy's JSON shape, keys in Toxiproxy's order. */
export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

/** Requested settings of a proxy (POST /proxies/{name}). */
export interface ProxySettings {
  listen: string;
  upstream: string;
  enabled: boolean;
}

/**
 * A named listener that forwards every accepted client to `upstream` through
 * the proxy's toxics. `enabled` is true exactly while it is listening.
 */
export class Proxy {
  enabled = false;
  readonly toxics = new ToxicCollection();
  /** Bytes forwarded since the proxy was created: client -> upstream, and back. */
  readonly bytes = { upstream: 0, downstream: 0 };
  /** Clients closed without being forwarded, by reason, since the proxy was created. */
  readonly refused: Record<RefusalReason, number> = { connection_cap: 0, upstream_connect_timeout: 0 };
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();

  constructor(
    readonly name: string,
    /** As requested until started, then the bound address as Go reports it. */
    public listen: string,
    public upstream: string,
    /** Refuses listen addresses beyond what the server allows; none: any address (Toxiproxy's own rule). */
    private readonly guard?: ListenGuard,
    private readonly limits: ProxyLimits = DEFAULT_PROXY_LIMITS,
  ) {}

  /** Start listening; a no-op when already enabled. Bind failures are 500s with Go's text. */
  async start(): Promise<void> {
    if (this.enabled) return;
    let target: ListenTarget;
    try {
      target = await resolveListen(this.listen);
    } catch (error) {
      if (error instanceof AddressError) throw new ApiError(`listen tcp: ${error.message}`, 500);
      throw error;
    }
    this.guard?.(target);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(socket));
    const port = await listenOn(server, target);
    this.server = server;
    this.enabled = true;
    this.listen = target.wildcard ? `[::]:${port}` : joinHostPort(target.bindHost, port);
  }

  /** Stop listening and close every open connection. */
  async stop(): Promise<void> {
    if (!this.enabled) return;
    this.enabled = false;
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    await closed;
  }

  /** Apply new settings: a changed address restarts the proxy (dropping connections), then `enabled` applies. */
  async update(settings: ProxySettings): Promise<void> {
    if (settings.listen !== this.listen || settings.upstream !== this.upstream) {
      await this.stop();
      this.listen = settings.listen;
      this.upstream = settings.upstream;
    }
    if (settings.enabled !== this.enabled) {
      if (settings.enabled) await this.start();
      else await this.stop();
    }
  }

  /** Client connections currently open through this proxy. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Links (one connection, one direction) forwarding without a toxic in between right now. */
  passThroughLinks(direction: Direction): number {
    let count = 0;
    for (const connection of this.connections) if (connection.links[direction === 'upstream' ? 0 : 1].passThrough) count++;
    return count;
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics.list().map(toxicJson),
    };
  }

  private accept(socket: Socket): void {
    // Over the cap the client is closed at once, before any upstream dial: a flood cannot exhaust the process's fds.
    if (this.connections.size >= this.limits.maxConnections) {
      this.refused.connection_cap++;
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    let target;
    try {
      target = parseUpstream(this.upstream);
    } catch {
      socket.destroy();
      return;
    }
    const connection = new Connection(
      socket,
      this.toxics,
      (c) => this.connections.delete(c),
      (direction, bytes) => (this.bytes[direction] += bytes),
    );
    this.connections.add(connection);
    connection.open(target, this.limits.upstreamConnectTimeoutMs, () => this.refused.upstream_connect_timeout++);
  }
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

async function listenOn(server: Server, target: ListenTarget): Promise<number> {
  try {
    return await listenOnce(server, target.bindHost, target.port);
  } catch (error) {
    // Hosts without IPv6 cannot bind the dual-stack wildcard; fall back to IPv4.
    const code = (error as NodeJS.ErrnoException).code;
    if (target.wildcard && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')) {
      try {
        return await listenOnce(server, '0.0.0.0', target.port);
      } catch (retryError) {
        throw bindError(retryError, target);
      }
    }
    throw bindError(error, target);
  }
}

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port, ipv6Only: false }, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function bindError(error: unknown, target: ListenTarget): ApiError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const text = BIND_ERRORS[code] ?? (error as Error).message;
  return new ApiError(`listen tcp ${target.display}: bind: ${text}`, 500);
}
