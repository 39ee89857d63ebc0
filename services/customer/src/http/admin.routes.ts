import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import { authenticate } from '../app/authenticate.use-case.js';
import type { CustomerDeps } from '../app/deps.js';
import { listCustomers } from '../app/list-customers.use-case.js';
import { reactivateCustomer } from '../app/reactivate-customer.use-case.js';
import { suspendCustomer } from '../app/suspend-customer.use-case.js';
import * as schema from './customer.schemas.js';

export function adminRoutes(router: Router, deps: CustomerDeps): void {
  const admin = requireAuth(authenticate(deps), ['admin']);
  router.get('/admin/customers', admin, route({ query: schema.listCustomersQuery }, ({ query }) => listCustomers(deps, query)));
  router.post(
    '/admin/customers/:id/suspend',
    admin,
    route({ params: schema.customerIdParams, body: schema.reasonBody }, (input) =>
      suspendCustomer(deps, { customerId: input.params.id, reason: input.body.reason, actorId: principalOf(input).customerId }),
    ),
  );
  router.post(
    '/admin/customers/:id/reactivate',
    admin,
    route({ params: schema.customerIdParams, body: schema.reasonBody }, (input) =>
      reactivateCustomer(deps, { customerId: input.params.id, reason: input.body.reason, actorId: principalOf(input).customerId }),
    ),
  );
}
