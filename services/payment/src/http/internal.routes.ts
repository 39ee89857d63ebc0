import type { Router } from 'express';
import { route } from '@shop/platform';
import { authorizePayment } from '../app/authorize-payment.use-case.js';
import { authorizePaypalPayment } from '../app/authorize-paypal-payment.use-case.js';
import type { PaymentDeps } from '../app/deps.js';
import { getPayment } from '../app/get-payment.use-case.js';
import { voidPayment } from '../app/void-payment.use-case.js';
import * as schema from './payment.schemas.js';

/**
 * Service-to-service routes for the order service's checkout; the gateway never routes `/internal`.
 * Authorize holds the money on a card (201, or 402 PAYMENT_FAILED with the reason), or records a
 * PayPal payment awaiting the shopper's approval (201 `awaiting_approval`); void is its undo.
 */
export function internalRoutes(router: Router, deps: PaymentDeps): void {
  router.post(
    '/internal/payments/authorizations',
    route({ body: schema.authorizeBody, status: 201 }, ({ body: { method, card, ...payment } }) =>
      method === 'paypal' ? authorizePaypalPayment(deps, payment) : authorizePayment(deps, { ...payment, card }),
    ),
  );
  router.post('/internal/payments/:orderId/void', route({ params: schema.orderIdParams }, ({ params }) => voidPayment(deps, params.orderId)));
  router.get('/internal/payments/:orderId', route({ params: schema.orderIdParams }, ({ params }) => getPayment(deps, params.orderId)));
}
