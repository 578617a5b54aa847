import { Metadata } from '@grpc/grpc-js';

/** Request metadata every hop passes on: routing version, correlation id, W3C trace context. */
export const FORWARDED_METADATA_KEYS: readonly string[] = Object.freeze(['x-api-version', 'x-request-id', 'traceparent']);

/**
 * Copies the forwarded keys (and only those) from an incoming call's metadata
 * into fresh metadata for a downstream call. Unknown keys stay behind so a
 * caller cannot smuggle arbitrary headers deeper into the mesh.
 */
export function forwardMetadata(incoming: Metadata | undefined, keys: readonly string[] = FORWARDED_METADATA_KEYS): Metadata {
  const outgoing = new Metadata();
  if (!incoming) return outgoing;
  for (const key of keys) {
    for (const value of incoming.get(key)) outgoing.add(key, value);
  }
  return outgoing;
}

/** The first string value of `key`, or '' when absent. */
export function metadataValue(metadata: Metadata | undefined, key: string): string {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' ? value : '';
}
