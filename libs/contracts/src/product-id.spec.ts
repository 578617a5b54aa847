import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { productIdProblem } from './product-id.js';

describe('productIdProblem', () => {
  it.each(['1', '42', '10000', '007'])('accepts %j', (id) => {
    expect(productIdProblem(id)).toBeUndefined();
  });

  it.each(['', 'abc', '12a', '-1', '1.5', ' 1', '9'.repeat(65)])('rejects %j as INVALID_ARGUMENT', (id) => {
    expect(productIdProblem(id)?.code).toBe(status.INVALID_ARGUMENT);
  });

  it.each(['0', '10001', '9'.repeat(64)])('reports %j as NOT_FOUND', (id) => {
    expect(productIdProblem(id)).toEqual({ code: status.NOT_FOUND, message: `product ${id} not found` });
  });
});
