import type { Router } from 'express';
import { route } from '@shop/platform';
import type { CustomerDeps } from '../app/deps.js';
import { getCheckoutDetails } from '../app/get-checkout-details.use-case.js';
import { listSessionInvalidations } from '../app/list-session-invalidations.use-case.js';
import * as schema from './customer.schemas.js';

/** Service-to-service routes; the gateway never routes `/internal`, so only the internal network reaches them. */
export function internalRoutes(router: Router, deps: CustomerDeps): void {
  router.post(
    '/internal/customers/:customerId/checkout',
    route({ params: schema.checkoutParams, body: schema.checkoutBody }, ({ params, body }) => getCheckoutDetails(deps, params.customerId, body)),
  );
  router.get('/internal/sessions/invalidations', route({ query: schema.invalidationsQuery }, ({ query }) => listSessionInvalidations(deps, query.since)));
}
