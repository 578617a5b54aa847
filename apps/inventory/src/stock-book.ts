import type { Stock } from '@zonemesh/contracts';

const WAREHOUSES = ['berlin', 'dublin', 'paris'] as const;

/**
 * The demo's stock levels: a pure function of the product id, so every
 * instance in every zone answers the same and tests can predict it.
 */
export function stockFor(productId: string): Omit<Stock, 'servedBy'> {
  const n = Number(productId);
  return { productId, available: (n * 31) % 200, warehouse: WAREHOUSES[n % WAREHOUSES.length] };
}
