import type { Router } from 'express';
import { reply, route } from '@shop/platform';
import { commitReservation } from '../app/commit-reservation.use-case.js';
import { deductReservation } from '../app/deduct-reservation.use-case.js';
import type { InventoryDeps } from '../app/deps.js';
import { getStockFeed } from '../app/get-stock-feed.use-case.js';
import { queryStock } from '../app/query-stock.use-case.js';
import { releaseReservation } from '../app/release-reservation.use-case.js';
import { reserveStock } from '../app/reserve-stock.use-case.js';
import * as schema from './inventory.schemas.js';

/**
 * Service-to-service routes for the order and cart services; the gateway never routes `/internal`.
 * A checkout holds stock (`POST /internal/reservations`), commits the hold once its order exists,
 * and releases it to undo; an uncommitted hold is released by itself when it expires. The stock
 * feed gives every row, a page at a time, to a read model starting up.
 */
export function internalRoutes(router: Router, deps: InventoryDeps): void {
  // 201 when this call reserved, 200 when the order had already.
  router.post(
    '/internal/reservations',
    route({ body: schema.reserveBody }, async ({ body }) => {
      const { created, reservation } = await reserveStock(deps, body);
      return reply(created ? 201 : 200, reservation);
    }),
  );
  router.post('/internal/reservations/:orderId/commit', route({ params: schema.orderIdParams }, ({ params }) => commitReservation(deps, params.orderId)));
  router.post(
    '/internal/reservations/:orderId/release',
    route({ params: schema.orderIdParams, body: schema.releaseBody }, ({ params, body }) => releaseReservation(deps, { orderId: params.orderId, reason: body.reason })),
  );
  router.post('/internal/reservations/:orderId/deduct', route({ params: schema.orderIdParams }, ({ params }) => deductReservation(deps, params.orderId)));
  router.post('/internal/stock/query', route({ body: schema.stockQueryBody }, ({ body }) => queryStock(deps, body.variantIds)));
  // The cart's availability read model starts from here, then follows inventory.stock-changed.
  router.get('/internal/stock/feed', route({ query: schema.stockFeedQuery }, ({ query }) => getStockFeed(deps, query)));
}
