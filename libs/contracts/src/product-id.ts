import { status } from '@grpc/grpc-js';

/** Products of the demo catalogue are numbered 1..MAX_PRODUCT_ID. */
export const MAX_PRODUCT_ID = 10_000;
const MAX_ID_LENGTH = 64;

/** Why a product id cannot be served, as a gRPC status and a client-safe message. */
export interface ProductIdProblem {
  readonly code: typeof status.INVALID_ARGUMENT | typeof status.NOT_FOUND;
  readonly message: string;
}

/**
 * The id rule every service of the mesh applies the same way, so the edge and
 * each hop agree: malformed ids (empty, non-decimal, over 64 characters) are
 * INVALID_ARGUMENT, well-formed ids outside the catalogue are NOT_FOUND.
 * Returns undefined when the id names a product.
 */
export function productIdProblem(id: string): ProductIdProblem | undefined {
  if (id.length === 0) return { code: status.INVALID_ARGUMENT, message: 'product id is empty' };
  if (id.length > MAX_ID_LENGTH) {
    return { code: status.INVALID_ARGUMENT, message: `product id is longer than ${MAX_ID_LENGTH} characters` };
  }
  if (!/^\d+$/.test(id)) return { code: status.INVALID_ARGUMENT, message: 'product id must be decimal digits' };
  const n = Number(id);
  if (n < 1 || n > MAX_PRODUCT_ID) return { code: status.NOT_FOUND, message: `product ${id} not found` };
  return undefined;
}
