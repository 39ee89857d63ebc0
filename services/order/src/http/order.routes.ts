import type { RequestHandler, Router } from 'express';
import { AppError, principalOf, reply, requireAuth, route, validatePart } from '@shop/platform';
import type { OrderDeps } from '../app/deps.js';
import { getOrder } from '../app/get-order.use-case.js';
import { listOrders } from '../app/list-orders.use-case.js';
import { cancelOrder } from '../app/cancel-order.use-case.js';
import { toOrderView } from '../app/order-view.js';
import { placeOrder } from '../app/place-order.use-case.js';
import * as schema from './order.schemas.js';

/** The customer's orders (API.md "Orders"): checkout, the list, one order. */
export function orderRoutes(router: Router, deps: OrderDeps): void {
  const signedIn = requireAuth(deps.verifyToken);
  router.post(
    '/orders',
    registrationRequired,
    signedIn,
    route(
      {
        body: schema.placeOrderBody,
        response: { 201: schema.orderResponse },
        doc: {
          summary: 'Check out my cart: the order PENDING, stock held, the payment authorized (a card) or awaiting approval (PayPal-style)',
          description:
            'With an Idempotency-Key, the same request again gets the same answer (status and body) without running anything again; 409 CONFLICT while the first still runs or when the key was used for another request.',
          headers: { 'Idempotency-Key': schema.idempotencyKey },
          errors: [
            'REGISTRATION_REQUIRED',
            'EMAIL_NOT_VERIFIED',
            'ACCOUNT_SUSPENDED',
            'EMPTY_CART',
            'INSUFFICIENT_STOCK',
            'PRODUCT_INACTIVE',
            'ADDRESS_NOT_FOUND',
            'COUNTRY_NOT_SUPPORTED',
            'INVALID_POSTAL_CODE',
            'INTERNATIONAL_SHIPPING_NOT_AVAILABLE',
            'PAYMENT_FAILED',
            'CONFLICT',
          ],
        },
      },
      async (input) => {
        const { shippingAddressId, shippingAddress, payment } = input.body;
        const answer = await placeOrder(deps, {
          customerId: principalOf(input).customerId,
          idempotencyKey: idempotencyKeyOf(input.req.get('idempotency-key')),
          shipping: shippingAddressId ? { shippingAddressId } : { shippingAddress },
          payment,
        });
        return reply(answer.status, answer.body);
      },
    ),
  );
  router.get(
    '/orders',
    signedIn,
    route({ query: schema.listQuery, response: schema.orderPageResponse, doc: { summary: 'My orders, newest first, paginated' } }, (input) =>
      listOrders(deps, principalOf(input).customerId, input.query),
    ),
  );
  router.post(
    '/orders/:id/cancel',
    signedIn,
    route(
      {
        params: schema.orderIdParams,
        body: schema.cancelBody,
        response: schema.orderResponse,
        doc: { summary: 'Cancel my order (PENDING or CONFIRMED): stock released, the payment voided or refunded', errors: ['ORDER_NOT_FOUND', 'CANCELLATION_NOT_ALLOWED'] },
      },
      async (input) => {
        const customerId = principalOf(input).customerId;
        const { order } = await cancelOrder(deps, { orderId: input.params.id, reason: input.body.reason ?? 'cancelled by the customer', by: { customerId } });
        return toOrderView(order);
      },
    ),
  );
  router.get(
    '/orders/:id',
    signedIn,
    route({ params: schema.orderIdParams, response: schema.orderResponse, doc: { summary: "One of my orders (someone else's: 404)", errors: ['ORDER_NOT_FOUND'] } }, (input) =>
      getOrder(deps, principalOf(input).customerId, input.params.id),
    ),
  );
}

/** Checkout is for customers with an account: a guest, cart token or not, is asked to register. */
const registrationRequired: RequestHandler = (req, _res, next) => {
  if (!req.get('authorization')) throw new AppError('REGISTRATION_REQUIRED', 'sign in or register to place an order');
  next();
};

function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return validatePart(schema.idempotencyKey.label('Idempotency-Key'), header, 'headers');
}
