import type { Transaction } from '@shop/db';
import { saveProductSnapshot, type ProductSnapshot } from '../db/catalog.repository.js';
import type { CartDatabase } from '../db/schema.js';

/** product.created, or a product from the catalog's feed: the read model holds it, unless it knows a newer version. */
export async function applyProductSnapshot(tx: Transaction<CartDatabase>, snapshot: ProductSnapshot): Promise<void> {
  await saveProductSnapshot(tx, snapshot);
}
