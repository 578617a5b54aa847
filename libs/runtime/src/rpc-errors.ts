import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';

/** A Nest RpcException that grpc-js turns into exactly this status and message. */
export function rpcError(code: status, message: string): RpcException {
  return new RpcException({ code, message });
}

// Statuses a caller can act on keep their meaning across a hop; anything
// else is the downstream's internal business and becomes UNAVAILABLE/INTERNAL.
const PASSED_THROUGH = new Set<status>([
  status.NOT_FOUND,
  status.INVALID_ARGUMENT,
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.CANCELLED,
]);

/**
 * Maps an error from a downstream gRPC call to what this hop returns:
 * NOT_FOUND stays NOT_FOUND, UNAVAILABLE stays UNAVAILABLE, and so on; the
 * message names the downstream but carries no stack trace.
 */
export function downstreamError(downstream: string, error: unknown): RpcException {
  const code = (error as { code?: unknown })?.code;
  const details = (error as { details?: unknown })?.details;
  const text = typeof details === 'string' && details !== '' ? details : (error as Error)?.message ?? 'unknown error';
  if (typeof code === 'number' && PASSED_THROUGH.has(code)) return rpcError(code, `${downstream}: ${text}`);
  if (code === status.INTERNAL || code === status.UNKNOWN) return rpcError(status.INTERNAL, `${downstream} failed`);
  return rpcError(status.UNAVAILABLE, `${downstream}: ${text}`);
}
