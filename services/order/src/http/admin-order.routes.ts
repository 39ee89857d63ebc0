import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import { cancelOrder } from '../app/cancel-order.use-case.js';
import { confirmOrder } from '../app/confirm-order.use-case.js';
import type { OrderDeps } from '../app/deps.js';
import { getOrderDetails } from '../app/get-order-details.use-case.js';
import { listAllOrders } from '../app/list-all-orders.use-case.js';
import { toAdminOrderView } from '../app/order-view.js';
import { shipOrder } from '../app/ship-order.use-case.js';
import * as schema from './order.schemas.js';

/** Staff's routes (API.md): every order, its history, and moving it along; shipping is also for fulfilment staff. */
export function adminOrderRoutes(router: Router, deps: OrderDeps): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  const fulfilment = requireAuth(deps.verifyToken, ['admin', 'fulfillment']);
  const byId = { params: schema.orderIdParams, response: schema.adminOrderResponse };
  router.get(
    '/admin/orders',
    admin,
    route(
      {
        query: schema.adminListQuery,
        response: schema.adminOrderPageResponse,
        doc: { summary: 'Every order, newest first, paginated: by status, customer, creation time (from, to) and order number (q)' },
      },
      ({ query }) => {
        const { page, pageSize, status, customerId, from, to, q } = query;
        return listAllOrders(deps, { status, customerId, q, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined }, { page, pageSize });
      },
    ),
  );
  router.get('/admin/orders/:id', admin, route({ ...byId, doc: { summary: 'Any order, with its status history', errors: ['ORDER_NOT_FOUND'] } }, ({ params }) => getOrderDetails(deps, params.id)));
  router.post(
    '/admin/orders/:id/confirm',
    admin,
    route({ ...byId, doc: { summary: 'Confirm an order: PENDING -> CONFIRMED', errors: ['ORDER_NOT_FOUND', 'INVALID_STATUS_TRANSITION'] } }, (input) =>
      confirmOrder(deps, input.params.id, principalOf(input).customerId),
    ),
  );
  router.post(
    '/admin/orders/:id/ship',
    fulfilment,
    route(
      { ...byId, body: schema.shipBody, doc: { summary: 'Ship an order with its tracking number: CONFIRMED -> SHIPPED, stock deducted', errors: ['ORDER_NOT_FOUND', 'INVALID_STATUS_TRANSITION', 'CONFLICT'] } },
      (input) => shipOrder(deps, { orderId: input.params.id, ...input.body, by: principalOf(input).customerId }),
    ),
  );
  router.post(
    '/admin/orders/:id/cancel',
    admin,
    route(
      { ...byId, body: schema.adminCancelBody, doc: { summary: "Cancel an order (PENDING or CONFIRMED), as the customer's cancel does", errors: ['ORDER_NOT_FOUND', 'CANCELLATION_NOT_ALLOWED'] } },
      async (input) => {
        const { order, history } = await cancelOrder(deps, { orderId: input.params.id, reason: input.body.reason, by: { adminId: principalOf(input).customerId } });
        return toAdminOrderView(order, history);
      },
    ),
  );
}
