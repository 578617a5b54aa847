import { describe, expect, it } from 'vitest';
import { priceFor } from './price-book.js';

describe('priceFor', () => {
  it('is deterministic per product id', () => {
    expect(priceFor('42', 'v1')).toEqual(priceFor('42', 'v1'));
    expect(priceFor('42', 'v1').amount).not.toBe(priceFor('43', 'v1').amount);
  });

  it('v1 gives a list price in cents and no v2 fields', () => {
    const price = priceFor('7', 'v1');
    expect(price).toEqual({ productId: '7', amount: 10 + ((7 * 7919) % 9000) / 100, currency: 'EUR', version: 'v1' });
  });

  it('v2 adds discount, tax and total on the same list price', () => {
    const v1 = priceFor('7', 'v1');
    const v2 = priceFor('7', 'v2');
    expect(v2.amount).toBe(v1.amount);
    expect(v2.version).toBe('v2');
    expect(v2.discountPercent).toBe(15);
    const discounted = Math.round(v1.amount * 0.85 * 100) / 100;
    expect(v2.tax).toBeCloseTo(discounted * 0.2, 2);
    expect(v2.total).toBeCloseTo(discounted + v2.tax!, 2);
  });
});
