import type { Router } from 'express';
import { route } from '@shop/platform';
import { addItem } from '../app/add-item.use-case.js';
import { clearCart } from '../app/clear-cart.use-case.js';
import { createGuestCart } from '../app/create-guest-cart.use-case.js';
import type { CartDeps } from '../app/deps.js';
import { getCart } from '../app/get-cart.use-case.js';
import { assertCustomer, mergeGuestCartByToken } from '../app/merge-guest-cart.use-case.js';
import { removeItem } from '../app/remove-item.use-case.js';
import { restoreItem } from '../app/restore-item.use-case.js';
import { updateItemQuantity } from '../app/update-item-quantity.use-case.js';
import { identifyCartOwner, ownerOf } from './cart-owner.js';
import * as schema from './cart.schemas.js';

/** The shopper's cart (API.md "Cart"): a signed-in customer's, or a guest's by its cart token. */
export function cartRoutes(router: Router, deps: CartDeps): void {
  const owner = identifyCartOwner(deps.verifyToken);
  router.post('/carts/guest', route({ status: 201 }, () => createGuestCart(deps)));
  router.get('/cart', owner, route({}, (input) => getCart(deps, ownerOf(input))));
  router.delete('/cart', owner, route({}, (input) => clearCart(deps, ownerOf(input))));
  router.post('/cart/items', owner, route({ body: schema.addItemBody, status: 201 }, (input) => addItem(deps, ownerOf(input), input.body)));
  router.patch(
    '/cart/items/:itemId',
    owner,
    route({ params: schema.itemParams, body: schema.quantityBody }, (input) => updateItemQuantity(deps, ownerOf(input), input.params.itemId, input.body.quantity)),
  );
  router.delete('/cart/items/:itemId', owner, route({ params: schema.itemParams }, (input) => removeItem(deps, ownerOf(input), input.params.itemId)));
  router.post('/cart/items/:itemId/restore', owner, route({ params: schema.itemParams }, (input) => restoreItem(deps, ownerOf(input), input.params.itemId)));
  router.post(
    '/cart/merge',
    owner,
    route({ body: schema.mergeBody }, (input) => mergeGuestCartByToken(deps, assertCustomer(ownerOf(input) as { customerId?: string }), input.body.cartToken)),
  );
}
