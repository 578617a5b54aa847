import { ApiError } from '../errors/api-error.js';

const VERSION = /^v[0-9]{1,3}$/;

/**
 * A malformed `x-api-version` is a 400, not a silent fallback: a client that
 * asked for something should know it failed. A well-formed one is left to
 * the route table (which may send an unknown version to the default route).
 */
export function checkApiVersionHeader(header: string | string[] | undefined): void {
  if (header === undefined) return;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !VERSION.test(value.trim())) {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'x-api-version must look like "v2"');
  }
}
