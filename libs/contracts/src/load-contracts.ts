import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { contractLoaderOptions } from './loader-options.js';
import { PROTO_DIR } from './proto-paths.js';
import { SERVICE_CONTRACTS } from './service-contracts.js';

/**
 * Loads every mesh .proto into one grpc-js package definition (pass it to
 * `grpc.loadPackageDefinition`, or to Nest as `packageDefinition`).
 * Pass `paths` to load a subset.
 */
export function loadContracts(
  paths: readonly string[] = Object.values(SERVICE_CONTRACTS).map((c) => c.protoPath),
): PackageDefinition {
  return loadSync([...paths], { ...contractLoaderOptions, includeDirs: [PROTO_DIR] });
}
