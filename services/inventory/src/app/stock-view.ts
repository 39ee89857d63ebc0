import { availableOf, stockStatusOf, type StockItem } from '../domain/stock.js';

/** A variant's stock as admins see it. */
export function toStockView(item: StockItem) {
  return {
    variantId: item.variantId,
    productId: item.productId,
    onHand: item.onHand,
    reserved: item.reserved,
    available: availableOf(item),
    lowStockThreshold: item.lowStockThreshold,
    stockStatus: stockStatusOf(item),
  };
}
