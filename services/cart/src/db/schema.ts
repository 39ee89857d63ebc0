import type { Generated, OutboxTables } from '@shop/db';
import type { StockStatus } from '@shop/contracts';

/** The cart service's tables as Kysely sees them. */
export interface CartDatabase extends OutboxTables {
  carts: {
    id: string;
    customer_id: string | null;
    token_hash: Buffer | null;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  cart_items: {
    id: string;
    cart_id: string;
    product_id: string;
    variant_id: string;
    quantity: number;
    added_at: Generated<Date>;
    changed_version: number;
  };
  removed_cart_items: {
    id: string;
    cart_id: string;
    product_id: string;
    variant_id: string;
    quantity: number;
    removed_at: Date;
  };
  cart_order_clearings: {
    order_id: string;
    cart_id: string;
    cleared_at: Generated<Date>;
  };
  catalog_products: {
    product_id: string;
    name: string;
    status: 'draft' | 'active' | 'inactive';
    deleted: Generated<boolean>;
    version: number;
  };
  catalog_variants: {
    variant_id: string;
    product_id: string;
    sku: string;
    name: string;
    price_amount: number;
    price_currency: string;
    position: number;
  };
  variant_stock: {
    variant_id: string;
    available: number;
    stock_status: StockStatus;
    stock_version: number;
  };
}
