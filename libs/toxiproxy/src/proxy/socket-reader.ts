import { Socket, type OnReadOpts } from 'node:net';

/** Where a socket's reads go: into a caller's buffer (`onread`), or as buffers Node allocated (`onData`). */
export interface ReadTarget {
  /** net's `onread`: Node reads into the target's buffer and calls back with the byte count. */
  readonly onread: OnReadOpts;
  /** A buffer Node allocated for this read alone (a socket that cannot read into `onread`'s buffer). */
  onData(data: Buffer): void;
}

/** The private part of an accepted socket that `adoptAccepted` moves. */
interface HandleCarrier {
  _handle?: object | null;
}

/**
 * The same connection as `accepted` (a paused socket from a `net.Server`
 * with `pauseOnConnect`), reading into `target.onread`'s buffer.
 *
 * Why: net.Server offers no `onread` for the sockets it accepts, and reading
 * into one reused buffer instead of a fresh 64 KiB allocation per read
 * halves a proxy's CPU per byte (no allocation, no page faults on new
 * memory, fewer and larger reads). The socket's handle is moved into a new
 * `net.Socket` built with `onread`, which is how net builds accepted sockets
 * itself; `accepted` is left without a handle and destroyed (that also
 * takes it off the server's connection count: the proxy closes its
 * connections itself when it stops). Should a Node version not expose the
 * handle, `accepted` is returned as is, delivering to `target.onData`.
 * The result is paused either way.
 */
export function adoptAccepted(accepted: Socket, target: ReadTarget): Socket {
  const carrier = accepted as unknown as HandleCarrier;
  const handle = carrier._handle;
  if (!handle || accepted.destroyed || accepted.readableLength > 0) {
    accepted.pause();
    accepted.on('data', (data: Buffer) => target.onData(data));
    return accepted;
  }
  carrier._handle = null;
  accepted.destroy();
  // `handle` is not in the public typings; it is the option net's own server uses.
  const options = { handle, allowHalfOpen: true, pauseOnCreate: true, readable: true, writable: true, onread: target.onread };
  return new Socket(options as ConstructorParameters<typeof Socket>[0]);
}
