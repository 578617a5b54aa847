import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error.js';
import { pathApiVersion, requestedApiVersion } from './api-version.js';
import { parseProductId } from './product-id.js';

describe('request parsing at the edge', () => {
  it('defaults to v1, takes a well-formed header, rejects a malformed one', () => {
    expect(requestedApiVersion(undefined)).toBe('v1');
    expect(requestedApiVersion(' v2 ')).toBe('v2');
    expect(requestedApiVersion(['v3', 'v1'])).toBe('v3');
    expect(() => requestedApiVersion('two')).toThrow(ApiError);
  });

  it('treats a path segment that is not a version as an unknown route', () => {
    expect(pathApiVersion('v2')).toBe('v2');
    const error = (() => {
      try {
        pathApiVersion('admin');
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(error?.status).toBe(404);
  });

  it('accepts decimal ids only', () => {
    expect(parseProductId('42')).toBe('42');
    for (const bad of ['', '-1', '1e3', '4 2', 'x'.repeat(5), '1'.repeat(19)]) expect(() => parseProductId(bad)).toThrow(ApiError);
  });
});
