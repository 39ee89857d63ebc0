import type { Router } from 'express';
import { route } from '@shop/platform';
import { clearCartForOrder } from '../app/clear-cart-for-order.use-case.js';
import type { CartDeps } from '../app/deps.js';
import { getCartSnapshot } from '../app/get-cart-snapshot.use-case.js';
import * as schema from './cart.schemas.js';

/** Service-to-service routes for the order service's checkout; the gateway never routes `/internal`. */
export function internalRoutes(router: Router, deps: CartDeps): void {
  router.get('/internal/carts/by-customer/:customerId', route({ params: schema.customerParams }, ({ params }) => getCartSnapshot(deps, params.customerId)));
  router.post(
    '/internal/carts/:cartId/clear',
    route({ params: schema.cartParams, body: schema.clearForOrderBody }, ({ params, body }) =>
      // The shopper's next read, right after their order, must not show the lines it took.
      clearCartForOrder(deps, { cartId: params.cartId, ...body }).finally(() => deps.answers.invalidate(params.cartId.toLowerCase())),
    ),
  );
}
