import { describe, expect, it } from 'vitest';
import { stockFor } from './stock-book.js';

describe('stockFor', () => {
  it('is deterministic per product id', () => {
    expect(stockFor('42')).toEqual({ productId: '42', available: (42 * 31) % 200, warehouse: 'berlin' });
    expect(stockFor('43')).toEqual({ productId: '43', available: (43 * 31) % 200, warehouse: 'dublin' });
  });
});
