/** A price before it is stamped with who served it. v2 fields are absent in v1. */
export interface PriceQuote {
  readonly productId: string;
  readonly amount: number;
  readonly currency: string;
  readonly version: string;
  readonly discountPercent?: number;
  readonly tax?: number;
  readonly total?: number;
}

const CURRENCY = 'EUR';
const TAX_RATE = 0.2;

const cents = (value: number): number => Math.round(value * 100) / 100;

/**
 * The demo's prices: a pure function of the product id, so every instance in
 * every zone answers the same and tests can predict the numbers.
 * v1 answers list prices; v2 adds a discount, tax and total.
 */
export function priceFor(productId: string, version: string): PriceQuote {
  const n = Number(productId);
  const amount = cents(10 + ((n * 7919) % 9000) / 100);
  const base = { productId, amount, currency: CURRENCY, version };
  if (version === 'v1') return base;
  const discountPercent = (n % 4) * 5;
  const discounted = cents(amount * (1 - discountPercent / 100));
  const tax = cents(discounted * TAX_RATE);
  return { ...base, discountPercent, tax, total: cents(discounted + tax) };
}
