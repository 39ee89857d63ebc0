import type { StockStatus } from '@shop/contracts';

/**
 * A product's stock status from its variants': in stock if any variant is, else low if any is low,
 * else out of stock. A variant the inventory has not reported yet (undefined) counts as out of stock.
 */
export function productStockStatus(variantStatuses: Array<StockStatus | undefined>): StockStatus {
  if (variantStatuses.includes('in_stock')) return 'in_stock';
  if (variantStatuses.includes('low_stock')) return 'low_stock';
  return 'out_of_stock';
}

/** A variant the inventory has not reported yet counts as out of stock. */
export function variantStockStatus(status: StockStatus | undefined): StockStatus {
  return status ?? 'out_of_stock';
}
