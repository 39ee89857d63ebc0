import type { Generated, OutboxTables } from '@shop/db';
import type { StockStatus } from '@shop/contracts';
import type { ProductStatus } from '../domain/product.js';

/** The catalog service's tables as Kysely sees them. */
export interface CatalogDatabase extends OutboxTables {
  categories: {
    id: string;
    name: string;
    parent_id: string | null;
    depth: number;
    path: string[];
    created_at: Generated<Date>;
  };
  products: {
    id: string;
    name: string;
    description: string;
    price_amount: number;
    price_currency: string;
    category_id: string;
    status: ProductStatus;
    stock_status: Generated<StockStatus>;
    version: Generated<number>;
    created_by: string | null;
    updated_by: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    deleted_at: Date | null;
    deleted_by: string | null;
    /** Generated from name and description; never written. */
    search_vector: Generated<string>;
  };
  variants: {
    id: string;
    product_id: string;
    position: number;
    sku: string;
    name: string;
    price_amount: number | null;
    created_at: Generated<Date>;
  };
  price_audit: {
    id: Generated<number>;
    product_id: string;
    changed_by: string;
    changed_at: Date;
    old_amount: number;
    old_currency: string;
    new_amount: number;
    new_currency: string;
  };
  variant_stock: {
    variant_id: string;
    product_id: string;
    available: number;
    low_stock_threshold: number;
    stock_status: StockStatus;
    stock_version: number;
    updated_at: Generated<Date>;
  };
}
