const UNAVAILABLE = 14;
const CANCELLED = 1;
/** Details grpc-js writes when the transport, not the server, failed the call. */
const LOCAL_ORIGIN = /connect|ECONN|EHOSTUNREACH|ETIMEDOUT|socket|GOAWAY|RST_STREAM|Connection dropped|No connection established|Call ended without|stream closed/i;

/**
 * An UNAVAILABLE the transport wrote (connect refused, connection reset or
 * dropped, GOAWAY) rather than the server application: Envoy's
 * "local origin" failure, counted apart by outlier detection.
 */
export function isLocalOriginFailure(code: number, details: string): boolean {
  return code === UNAVAILABLE && LOCAL_ORIGIN.test(details);
}

/** What grpc-js writes when a closing connection (the server's GOAWAY or force close) took the stream down. */
const TRANSPORT_CANCEL = 'Call cancelled';

/** grpc-js's CANCELLED for a stream its connection took down: not the caller's cancel ("Cancelled on client") nor its deadline. */
export function isTransportCancel(code: number, details: string): boolean {
  return code === CANCELLED && details === TRANSPORT_CANCEL;
}

/**
 * A failure without any answer from the server application: a local-origin
 * UNAVAILABLE, or grpc-js's CANCELLED "Call cancelled" for a stream its
 * closing connection took down (retry-service-config.ts explains why that
 * one is never an application cancel once a retry follows).
 */
export function isConnectionFailure(code: number, details: string): boolean {
  return code === CANCELLED || isLocalOriginFailure(code, details);
}
