import Joi from 'joi';
import { defineEvent } from './define.js';
import { isoDate, uuid } from './common.js';

export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock';

const stockStatus = () => Joi.string().valid('in_stock', 'low_stock', 'out_of_stock');
const stock = () => Joi.number().integer().min(0);
const reason = () => Joi.string().max(500);
/** Admin user id, or null when the system acted. */
const userId = () => uuid().allow(null);

/** Fields every admin stock change carries so the catalog's stock status read model can be fed from it. */
export interface StockLevelFields {
  available: number;
  lowStockThreshold: number;
  stockStatus: StockStatus;
}
const stockLevelKeys = {
  available: stock().required(),
  lowStockThreshold: stock().required(),
  stockStatus: stockStatus().required(),
};

export interface InventoryQuantitySetV1 extends StockLevelFields {
  inventoryId: string;
  variantId: string;
  productId: string;
  previous: number;
  new: number;
  reason: string;
  userId: string | null;
  setAt: string;
}
export const inventoryQuantitySet = defineEvent<InventoryQuantitySetV1>('inventory.quantity-set', 1, {
  inventoryId: uuid().required(),
  variantId: uuid().required(),
  productId: uuid().required(),
  previous: stock().required(),
  new: stock().required(),
  reason: reason().required(),
  userId: userId().required(),
  ...stockLevelKeys,
  setAt: isoDate().required(),
});

export interface InventoryAdjustedV1 extends StockLevelFields {
  inventoryId: string;
  variantId: string;
  productId: string;
  previous: number;
  /** Signed delta applied to the on-hand quantity. */
  adjustment: number;
  new: number;
  reason: string;
  userId: string | null;
  adjustedAt: string;
}
export const inventoryAdjusted = defineEvent<InventoryAdjustedV1>('inventory.adjusted', 1, {
  inventoryId: uuid().required(),
  variantId: uuid().required(),
  productId: uuid().required(),
  previous: stock().required(),
  adjustment: Joi.number().integer().required(),
  new: stock().required(),
  reason: reason().required(),
  userId: userId().required(),
  ...stockLevelKeys,
  adjustedAt: isoDate().required(),
});

export interface InventoryRestockedV1 extends StockLevelFields {
  inventoryId: string;
  variantId: string;
  productId: string;
  previous: number;
  quantity: number;
  new: number;
  reason: string;
  userId: string | null;
  restockedAt: string;
}
export const inventoryRestocked = defineEvent<InventoryRestockedV1>('inventory.restocked', 1, {
  inventoryId: uuid().required(),
  variantId: uuid().required(),
  productId: uuid().required(),
  previous: stock().required(),
  quantity: Joi.number().integer().min(1).required(),
  new: stock().required(),
  reason: reason().required(),
  userId: userId().required(),
  ...stockLevelKeys,
  restockedAt: isoDate().required(),
});

export interface StockLine {
  variantId: string;
  productId: string;
  quantity: number;
}
const stockLines = () =>
  Joi.array()
    .items(
      Joi.object<StockLine>({
        variantId: uuid().required(),
        productId: uuid().required(),
        quantity: Joi.number().integer().min(1).required(),
      }),
    )
    .min(1);

/** One event per order, covering all its lines. */
export interface InventoryReservedV1 {
  orderId: string;
  lines: StockLine[];
  reservedAt: string;
}
export const inventoryReserved = defineEvent<InventoryReservedV1>('inventory.reserved', 1, {
  orderId: uuid().required(),
  lines: stockLines().required(),
  reservedAt: isoDate().required(),
});

export interface InventoryReleasedV1 {
  orderId: string;
  lines: StockLine[];
  reason: string;
  releasedAt: string;
}
export const inventoryReleased = defineEvent<InventoryReleasedV1>('inventory.released', 1, {
  orderId: uuid().required(),
  lines: stockLines().required(),
  reason: reason().required(),
  releasedAt: isoDate().required(),
});

export interface InventoryDeductedV1 {
  orderId: string;
  lines: StockLine[];
  deductedAt: string;
}
export const inventoryDeducted = defineEvent<InventoryDeductedV1>('inventory.deducted', 1, {
  orderId: uuid().required(),
  lines: stockLines().required(),
  deductedAt: isoDate().required(),
});

export interface InventoryLowStockV1 {
  inventoryId: string;
  variantId: string;
  productId: string;
  /** For the admin alert text; absent when the inventory service does not know the name. */
  productName?: string;
  /** The variant's SKU, for the admin alert text; absent when the inventory service does not know it. */
  sku?: string;
  /** Available quantity (on hand minus reserved). */
  currentStock: number;
  threshold: number;
  triggeredAt: string;
}
export const inventoryLowStock = defineEvent<InventoryLowStockV1>('inventory.low-stock', 1, {
  inventoryId: uuid().required(),
  variantId: uuid().required(),
  productId: uuid().required(),
  productName: Joi.string().max(200),
  sku: Joi.string().max(100),
  currentStock: stock().required(),
  threshold: stock().required(),
  triggeredAt: isoDate().required(),
});

export interface InventoryOutOfStockV1 {
  inventoryId: string;
  variantId: string;
  productId: string;
  productName?: string;
  sku?: string;
  triggeredAt: string;
}
export const inventoryOutOfStock = defineEvent<InventoryOutOfStockV1>('inventory.out-of-stock', 1, {
  inventoryId: uuid().required(),
  variantId: uuid().required(),
  productId: uuid().required(),
  productName: Joi.string().max(200),
  sku: Joi.string().max(100),
  triggeredAt: isoDate().required(),
});

/** Published on every change of available stock, reservations included, to keep stock read models right. */
export interface InventoryStockChangedV1 {
  inventoryId: string;
  variantId: string;
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  lowStockThreshold: number;
  stockStatus: StockStatus;
  /** Grows with every change of the stock row; a read model keeps the highest it has seen. */
  stockVersion: number;
  changedAt: string;
}
export const inventoryStockChanged = defineEvent<InventoryStockChangedV1>('inventory.stock-changed', 1, {
  inventoryId: uuid().required(),
  variantId: uuid().required(),
  productId: uuid().required(),
  onHand: stock().required(),
  reserved: stock().required(),
  available: stock().required(),
  lowStockThreshold: stock().required(),
  stockStatus: stockStatus().required(),
  stockVersion: Joi.number().integer().min(1).required(),
  changedAt: isoDate().required(),
});
