import type { Response, Router } from 'express';
import { cachedRoute, route } from '@shop/platform';
import { addItem } from '../app/add-item.use-case.js';
import { clearCart } from '../app/clear-cart.use-case.js';
import { createGuestCart } from '../app/create-guest-cart.use-case.js';
import type { CartView } from '../app/cart-view.js';
import type { CartDeps } from '../app/deps.js';
import { getCart } from '../app/get-cart.use-case.js';
import { assertCustomer, mergeGuestCartByToken } from '../app/merge-guest-cart.use-case.js';
import { removeItem } from '../app/remove-item.use-case.js';
import { restoreItem } from '../app/restore-item.use-case.js';
import { updateItemQuantity } from '../app/update-item-quantity.use-case.js';
import { answerKeyOf, guestAnswerKey, identifyCartOwner, knownAnswerKey, ownerOf } from './cart-owner.js';
import * as schema from './cart.schemas.js';

/**
 * The shopper's cart (API.md "Cart"): a signed-in customer's, or a guest's by its cart token.
 * GET /cart is answered from the replica's answer cache, one answer per owner, tagged with the
 * cart's id (what the change notifications name).
 */
export function cartRoutes(router: Router, deps: CartDeps): void {
  const owner = identifyCartOwner(deps.verifyToken);
  const cart = { response: schema.cartResponse };
  // A shopper's next read must see their change at once, not once the notification has come back:
  // this replica drops the answers of the carts a change was about as soon as it has ended (committed or not).
  const changing = (input: { res: Response }, work: Promise<unknown>, ...alsoKeys: string[]) =>
    work.finally(() => {
      for (const key of [answerKeyOf(ownerOf(input)), ...alsoKeys]) deps.answers.invalidate(key);
    });
  router.post(
    '/carts/guest',
    route({ status: 201, response: schema.guestCartResponse, doc: { summary: "A guest's cart: its id, and the token that opens it" } }, () => createGuestCart(deps)),
  );
  router.get(
    '/cart',
    owner,
    cachedRoute(
      () => deps.answers,
      {
        ...cart,
        audience: 'private',
        doc: { summary: 'My cart: each line at its current price, subtotals, total' },
        key: (input) => answerKeyOf(ownerOf(input)),
        frontKey: (req) => knownAnswerKey(deps.verifyToken, req),
        tags: (view) => [(view as CartView).cartId],
      },
      (input) => getCart(deps, ownerOf(input)),
    ),
  );
  router.delete('/cart', owner, route({ ...cart, doc: { summary: 'Empty my cart' } }, (input) => changing(input, clearCart(deps, ownerOf(input)))));
  router.post(
    '/cart/items',
    owner,
    route(
      {
        ...cart,
        body: schema.addItemBody,
        status: 201,
        doc: {
          summary: 'Add a product (its variant when it has several) to my cart',
          errors: ['OUT_OF_STOCK', 'QUANTITY_EXCEEDS_STOCK', 'VARIANT_REQUIRED', 'PRODUCT_INACTIVE', 'PRODUCT_NOT_FOUND'],
        },
      },
      (input) => changing(input, addItem(deps, ownerOf(input), input.body)),
    ),
  );
  router.patch(
    '/cart/items/:itemId',
    owner,
    route(
      { ...cart, params: schema.itemParams, body: schema.quantityBody, doc: { summary: "Change a line's quantity; 0 removes it", errors: ['ITEM_NOT_FOUND', 'QUANTITY_EXCEEDS_STOCK', 'OUT_OF_STOCK'] } },
      (input) => changing(input, updateItemQuantity(deps, ownerOf(input), input.params.itemId, input.body.quantity)),
    ),
  );
  router.delete(
    '/cart/items/:itemId',
    owner,
    route(
      { ...cart, params: schema.itemParams, doc: { summary: 'Remove a line (restore undoes it within 10 minutes)', errors: ['ITEM_NOT_FOUND'] } },
      (input) => changing(input, removeItem(deps, ownerOf(input), input.params.itemId)),
    ),
  );
  router.post(
    '/cart/items/:itemId/restore',
    owner,
    route(
      {
        ...cart,
        params: schema.itemParams,
        doc: { summary: 'Undo the removal of a line, within 10 minutes', errors: ['ITEM_NOT_FOUND', 'PRODUCT_NOT_FOUND', 'OUT_OF_STOCK', 'QUANTITY_EXCEEDS_STOCK', 'PRODUCT_INACTIVE'] },
      },
      (input) => changing(input, restoreItem(deps, ownerOf(input), input.params.itemId)),
    ),
  );
  router.post(
    '/cart/merge',
    owner,
    route(
      { ...cart, body: schema.mergeBody, doc: { summary: "Merge a guest's cart into mine (signed in), quantities capped to stock", errors: ['CART_NOT_FOUND'] } },
      (input) =>
        changing(input, mergeGuestCartByToken(deps, assertCustomer(ownerOf(input) as { customerId?: string }), input.body.cartToken), guestAnswerKey(input.body.cartToken)),
    ),
  );
}
