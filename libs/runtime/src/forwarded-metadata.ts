import { Metadata } from '@grpc/grpc-js';
import { propagateTraceContext, TRACE_CONTEXT_KEYS } from '@zonemesh/telemetry';

/** Request metadata every hop passes on: routing version, correlation id, W3C trace context. */
export const FORWARDED_METADATA_KEYS: readonly string[] = Object.freeze(['x-api-version', 'x-request-id', 'traceparent', 'tracestate']);

/**
 * Copies the forwarded keys (and only those) from an incoming call's metadata
 * into fresh metadata for a downstream call. Unknown keys stay behind so a
 * caller cannot smuggle arbitrary headers deeper into the mesh. The trace
 * context is this hop's own when a span is active (tracing on: the server
 * span startGrpcService opened for the call), the caller's verbatim otherwise.
 */
export function forwardMetadata(incoming: Metadata | undefined, keys: readonly string[] = FORWARDED_METADATA_KEYS): Metadata {
  const outgoing = new Metadata();
  for (const key of keys) {
    if (TRACE_CONTEXT_KEYS.includes(key)) continue;
    for (const value of incoming?.get(key) ?? []) outgoing.add(key, value);
  }
  if (keys.some((key) => TRACE_CONTEXT_KEYS.includes(key))) {
    propagateTraceContext(outgoing, (key) => (keys.includes(key) ? metadataValue(incoming, key) || undefined : undefined));
  }
  return outgoing;
}

/** The first string value of `key`, or '' when absent. */
export function metadataValue(metadata: Metadata | undefined, key: string): string {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' ? value : '';
}
