import { experimental, type ChannelOptions } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from '../endpoint.js';
import { isZonemeshAttribute } from '../resolver/resolver-attributes.js';

/** `127.0.0.1:5001` (or a comma-joined list for a multi-address endpoint): how children are keyed and shown. */
export function endpointKey(endpoint: experimental.Endpoint): string {
  return endpoint.addresses.map((a) => experimental.subchannelAddressToString(a)).join(',');
}

/** The key of the endpoint the resolver described, to match its info with grpc-js's address list. */
export function addressKey(info: ResolvedEndpoint): string {
  return experimental.subchannelAddressToString({ host: info.host, port: info.port });
}

/** An endpoint the resolver did not describe (not ours, e.g. a plain address list): no zone, no metadata. */
export function defaultInfo(key: string, endpoint: experimental.Endpoint): ResolvedEndpoint {
  const first = endpoint.addresses[0];
  const tcp = first && 'host' in first ? first : undefined;
  return { id: key, host: tcp?.host ?? key, port: tcp?.port ?? 0, zone: undefined, metadata: {} };
}

/** The channel options without our resolver attributes, for the leaf balancers' subchannels. */
export function withoutZonemeshAttributes(options: ChannelOptions): ChannelOptions {
  const result: ChannelOptions = {};
  for (const [key, value] of Object.entries(options)) if (!isZonemeshAttribute(key)) result[key] = value;
  return result;
}
