import { InterceptingCall, status, type Interceptor, type StatusObject } from '@grpc/grpc-js';
import { isLocalOriginFailure, isTransportCancel } from '../outlier/local-origin.js';

/**
 * A unary call whose answer arrived whole but whose connection died before
 * the trailers (the status) did, ends OK with that answer instead of
 * UNAVAILABLE "Connection dropped" (or CANCELLED "Call cancelled", what
 * grpc-js reports when the server force-closes the connection).
 *
 * Why: grpc-js commits a call once response headers arrive, so it never
 * retries it; a zone dying under load (issue 12) cuts some connections
 * between the answer's DATA frame and its trailing HEADERS, and those calls
 * failed although their answer was there (8 of ~400 at 64 callers). For a
 * unary method a message means the handler returned successfully: a gRPC
 * server sends an error status without one. Retrying instead would run the
 * handler twice. Streaming calls are left alone (more messages may follow).
 * Envoy has no equivalent: it sees the upstream reset and fails the request
 * (or retries it when `reset` is in retry_on, before any response byte).
 */
export const lostTrailersInterceptor: Interceptor = (options, nextCall) => {
  const definition = options.method_definition;
  if (definition.requestStream || definition.responseStream) return new InterceptingCall(nextCall(options));
  let answered = false;
  return new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      next(metadata, {
        onReceiveMessage(message, nextMessage) {
          // grpc-js also reports "no message" as null before a failed unary call's status.
          if (message !== null && message !== undefined) answered = true;
          nextMessage(message);
        },
        onReceiveStatus(received: StatusObject, nextStatus) {
          if (answered && (isLocalOriginFailure(received.code, received.details) || isTransportCancel(received.code, received.details))) {
            nextStatus({ ...received, code: status.OK, details: `OK (answer received whole; its trailers were lost: ${received.details})` });
          } else {
            nextStatus(received);
          }
        },
      });
    },
  });
};
