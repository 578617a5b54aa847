import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ToxicCollection } from '../toxics/toxic-collection.js';
import type { Direction } from '../toxics/toxic-definition.js';
import { Link } from './link.js';
import type { HostPort } from './listen-address.js';

/**
 * One accepted client and its upstream connection, joined by two links:
 * `upstream` (client -> server) and `downstream` (server -> client).
 */
export class Connection {
  private upstream: Socket | undefined;
  private readonly links: Link[] = [];
  private disposed = false;

  constructor(
    private readonly client: Socket,
    private readonly toxics: ToxicCollection,
    private readonly onClosed: (connection: Connection) => void,
    private readonly delivered?: (direction: Direction, bytes: number) => void,
  ) {
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
    // Hold client bytes until the upstream exists and the toxic chain is built.
    this.client.pause();
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
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
      if (upstream.connecting || this.links.length === 0) this.client.destroy();
      this.maybeDispose();
    });
    upstream.once('connect', () => {
      clearTimeout(timer);
      if (this.disposed || this.client.destroyed) {
        upstream.destroy();
        return;
      }
      const host = { now: () => performance.now(), reset: () => this.reset(), delivered: this.delivered };
      const up = new Link('upstream', this.client, upstream, host);
      const down = new Link('downstream', upstream, this.client, host);
      this.links.push(up, down);
      up.start(this.toxics.chain('upstream'));
      down.start(this.toxics.chain('downstream'));
      this.toxics.attach(up);
      this.toxics.attach(down);
      this.client.resume();
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
    for (const link of this.links.splice(0)) {
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
