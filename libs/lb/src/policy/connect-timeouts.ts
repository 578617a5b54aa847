import type { LbClock, LbTimer } from '../lb-clock.js';
import type { EndpointChild } from './endpoint-child.js';

/**
 * One connect_timeout timer per endpoint that is CONNECTING: grpc-js has no
 * connect timeout of its own below its (long) handshake deadline, so an
 * endpoint still connecting after connect_timeout counts as a local-origin
 * failure, like Envoy's.
 */
export class ConnectTimeouts {
  private readonly timers = new Map<EndpointChild, LbTimer>();

  constructor(private readonly clock: LbClock) {}

  /** (Re)starts the endpoint's timer. */
  arm(child: EndpointChild, timeoutMs: number, expired: () => void): void {
    this.timers.get(child)?.cancel();
    this.timers.set(
      child,
      this.clock.setTimer(() => {
        this.timers.delete(child);
        expired();
      }, timeoutMs),
    );
  }

  cancel(child: EndpointChild): void {
    this.timers.get(child)?.cancel();
    this.timers.delete(child);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
