import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error.js';
import { checkApiVersionHeader } from './api-version.js';
import { parseProductId } from './product-id.js';

describe('request parsing at the edge', () => {
  it('accepts no header or a well-formed one, rejects a malformed one with a 400', () => {
    expect(() => checkApiVersionHeader(undefined)).not.toThrow();
    expect(() => checkApiVersionHeader(' v2 ')).not.toThrow();
    expect(() => checkApiVersionHeader(['v3', 'v1'])).not.toThrow();
    for (const bad of ['two', 'v', 'v1234', 'v2; drop', '']) {
      const error = (() => {
        try {
          checkApiVersionHeader(bad);
        } catch (e) {
          return e as ApiError;
        }
      })();
      expect(error, bad).toBeInstanceOf(ApiError);
      expect(error?.status).toBe(400);
    }
  });

  it('accepts decimal ids only', () => {
    expect(parseProductId('42')).toBe('42');
    for (const bad of ['', '-1', '1e3', '4 2', 'x'.repeat(5), '1'.repeat(19)]) expect(() => parseProductId(bad)).toThrow(ApiError);
  });
});
