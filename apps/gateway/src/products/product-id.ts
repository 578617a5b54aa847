import { ApiError } from '../errors/api-error.js';

const PRODUCT_ID = /^[0-9]{1,18}$/;

/** Rejects at the edge what no upstream could answer, so bad ids never cost a gRPC hop. */
export function parseProductId(raw: string): string {
  if (!PRODUCT_ID.test(raw)) {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'product id must be 1 to 18 digits');
  }
  return raw;
}
