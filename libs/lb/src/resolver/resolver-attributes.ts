import { experimental } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from '../endpoint.js';

/*
 * grpc-js merges resolver attributes into the channel options it hands to the
 * LB policy, which passes them on to subchannels; the subchannel pool shares a
 * subchannel only between equal options (compared by reference). The
 * exclusion prefix keeps our per-update objects out of subchannel options.
 */
const PREFIX = `${experimental.SUBCHANNEL_ARGS_EXCLUDE_KEY_PREFIX}.zonemesh`;

/** `readonly ResolvedEndpoint[]`: what the resolver knows about each address. */
export const ENDPOINTS_ATTRIBUTE = `${PREFIX}.endpoints`;
/** `string`: the channel target the list was resolved for, e.g. `eureka:///CATALOG`. */
export const TARGET_ATTRIBUTE = `${PREFIX}.target`;

export function isZonemeshAttribute(key: string): boolean {
  return key.startsWith(PREFIX);
}

/** Endpoint info keyed by `host:port` (see `endpointAddress`), from the merged channel options. */
export function endpointsFromOptions(options: Record<string, unknown>): readonly ResolvedEndpoint[] {
  const value = options[ENDPOINTS_ATTRIBUTE];
  return Array.isArray(value) ? (value as ResolvedEndpoint[]) : [];
}

export function targetFromOptions(options: Record<string, unknown>): string | undefined {
  const value = options[TARGET_ATTRIBUTE];
  return typeof value === 'string' ? value : undefined;
}
