import type { Options } from '@grpc/proto-loader';

/**
 * The one proto-loader options object shared by servers and clients. The
 * generated types (scripts/generate.mjs flags) assume exactly these options:
 * camelCase fields, int64 as string, enums as names, defaults filled in.
 */
export const contractLoaderOptions = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;
