import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ToxicCollection } from '../toxics/toxic-collection.js';
import type { Direction } from '../toxics/toxic-definition.js';
import { Link, type LinkHost } from './link.js';
import type { HostPort } from './listen-address.js';
import { adoptAccepted } from './socket-reader.js';

/**
 * One accepted client and its upstream connection, joined by two links:
 * `upstream` (client -> server) and `downstream` (server -> client).
 * Each socket reads into its link's buffer (see Link).
 */
export class Connection {
  readonly links: readonly [up: Link, down: Link];
  private readonly client: Socket;
  private upstream: Socket | undefined;
  private linked = false;
  private disposed = false;

  constructor(
    /** A paused socket from the proxy's server; the connection takes it over. */
    accepted: Socket,
    private readonly toxics: ToxicCollection,
    private readonly onClosed: (connection: Connection) => void,
    delivered?: (direction: Direction, bytes: number) => void,
  ) {
    const host: LinkHost = { now: () => performance.now(), reset: () => this.reset(), delivered };
    this.links = [new Link('upstream', host), new Link('downstream', host)];
    // Paused until the upstream exists and the toxic chain is built.
    const client = adoptAccepted(accepted, this.links[0]);
    this.client = client;
    client.setNoDelay(true);
    client.on('error', () => {});
    client.once('close', () => this.maybeDispose());
  }

  /**
   * Dial the upstream; a failed dial closes the client, as Toxiproxy does. A
   * dial still unanswered after `connectTimeoutMs` (an upstream whose host
   * drops SYNs) is abandoned the same way, and `onConnectTimeout` counts it.
   */
  open(target: HostPort, connectTimeoutMs?: number, onConnectTimeout?: () => void): void {
    const [up, down] = this.links;
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true, onread: down.onread });
    this.upstream = upstream;
    const timer =
      connectTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            if (!upstream.connecting) return;
            onConnectTimeout?.();
            upstream.destroy();
            this.client.destroy();
          }, connectTimeoutMs);
    timer?.unref();
    upstream.on('error', () => {});
    upstream.once('close', () => {
      clearTimeout(timer);
      if (upstream.connecting || !this.linked) this.client.destroy();
      this.maybeDispose();
    });
    upstream.once('connect', () => {
      clearTimeout(timer);
      if (this.disposed || this.client.destroyed) {
        upstream.destroy();
        return;
      }
      this.linked = true;
      up.start(this.client, upstream, this.toxics.chain('upstream'));
      down.start(upstream, this.client, this.toxics.chain('downstream'));
      this.toxics.attach(up);
      this.toxics.attach(down);
    });
  }

  /** Close both sides now (proxy disabled, deleted or restarted). */
  close(): void {
    this.disposeLinks();
    this.client.destroy();
    this.upstream?.destroy();
  }

  /** Abort both sides with a TCP RST. */
  reset(): void {
    this.disposeLinks();
    resetSocket(this.client);
    if (this.upstream) resetSocket(this.upstream);
  }

  private maybeDispose(): void {
    if (this.client.destroyed && (!this.upstream || this.upstream.destroyed)) {
      this.disposeLinks();
      if (!this.disposed) {
        this.disposed = true;
        this.onClosed(this);
      }
    }
  }

  private disposeLinks(): void {
    if (!this.linked) return;
    this.linked = false;
    for (const link of this.links) {
      this.toxics.detach(link);
      link.dispose();
    }
  }
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
