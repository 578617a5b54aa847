import { ApiError } from '../errors/api-error.js';

const VERSION = /^v[0-9]{1,3}$/;

/**
 * The API version a request asks for: the path prefix `/api/v2/` wins, then
 * the `x-api-version` header, else v1. A malformed header is a 400, not a
 * silent fallback: a client that asked for something should know it failed.
 */
export function requestedApiVersion(header: string | string[] | undefined): string {
  if (header === undefined) return 'v1';
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !VERSION.test(value.trim())) {
    throw new ApiError(400, 'INVALID_ARGUMENT', 'x-api-version must look like "v2"');
  }
  return value.trim();
}

/** `/api/v2/...`: a segment that is not a version is an unknown route (404), not a bad argument. */
export function pathApiVersion(segment: string): string {
  if (!VERSION.test(segment)) throw new ApiError(404, 'NOT_FOUND', 'no route matches this path');
  return segment;
}
