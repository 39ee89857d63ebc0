import { randomUUID } from 'node:crypto';
import { cartItemAdded, type Money } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { findLineOfVariant, insertLine, setLineQuantity, touchCart, type Cart } from '../db/cart.repository.js';
import type { CartDatabase } from '../db/schema.js';
import { assertLineQuantity, assertWithinStock, cartAggregate } from '../domain/cart.js';
import type { CartDeps } from './deps.js';

/** What goes into a cart: so many of a variant at its price now, under a line id when it had one (a restore). */
export interface LineAddition {
  productId: string;
  variantId: string;
  quantity: number;
  unitPrice: Money;
  lineId?: string;
}

/**
 * Adds to the cart's line of the variant, or starts one, in the caller's transaction: the cart's
 * version grows first, which also locks it (concurrent adds take turns, and all count); the line's
 * new total must be 1-99 and within the stock available, or the transaction and its version go
 * back; cart.item-added tells what was added.
 */
export async function putOnLine(deps: CartDeps, tx: Transaction<CartDatabase>, cart: Cart, addition: LineAddition, available: number): Promise<Cart> {
  const now = deps.now();
  const touched = await touchCart(tx, cart.id, now);
  const line = await findLineOfVariant(tx, cart.id, addition.variantId);
  const quantity = (line?.quantity ?? 0) + addition.quantity;
  assertLineQuantity(quantity);
  assertWithinStock(quantity, available, addition.variantId);
  const lineId = line?.id ?? addition.lineId ?? randomUUID();
  if (line) await setLineQuantity(tx, line.id, quantity, touched.version);
  else await insertLine(tx, cart.id, { id: lineId, productId: addition.productId, variantId: addition.variantId, quantity }, touched.version, now);
  await deps.outbox.add(
    tx,
    cartItemAdded,
    {
      cartId: cart.id,
      customerId: cart.customerId,
      cartItemId: lineId,
      productId: addition.productId,
      variantId: addition.variantId,
      quantity: addition.quantity,
      unitPrice: addition.unitPrice,
      addedAt: now.toISOString(),
    },
    cartAggregate(touched),
  );
  return touched;
}
