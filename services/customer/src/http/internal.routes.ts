import type { Router } from 'express';
import { route } from '@shop/platform';
import type { CustomerDeps } from '../app/deps';
import { listSessionInvalidations } from '../app/list-session-invalidations.use-case';
import * as schema from './customer.schemas';

/** Service-to-service routes; the gateway never routes `/internal`, so only the internal network reaches them. */
export function internalRoutes(router: Router, deps: CustomerDeps): void {
  router.get('/internal/sessions/invalidations', route({ query: schema.invalidationsQuery }, ({ query }) => listSessionInvalidations(deps, query.since)));
}
