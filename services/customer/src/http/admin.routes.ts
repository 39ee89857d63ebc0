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
  router.get(
    '/admin/customers',
    admin,
    route({ query: schema.listCustomersQuery, response: schema.customerPageResponse, doc: { summary: 'Customers, paginated, by status and a search on name or e-mail' } }, ({ query }) =>
      listCustomers(deps, query),
    ),
  );
  router.post(
    '/admin/customers/:id/suspend',
    admin,
    route(
      {
        params: schema.customerIdParams,
        body: schema.reasonBody,
        response: schema.suspendedResponse,
        doc: { summary: 'Suspend a customer: every session ends at once; already suspended: 200, no change', errors: ['CUSTOMER_NOT_FOUND', 'CANNOT_SUSPEND_SELF'] },
      },
      (input) => suspendCustomer(deps, { customerId: input.params.id, reason: input.body.reason, actorId: principalOf(input).customerId }),
    ),
  );
  router.post(
    '/admin/customers/:id/reactivate',
    admin,
    route(
      {
        params: schema.customerIdParams,
        body: schema.reasonBody,
        response: schema.reactivatedResponse,
        doc: { summary: 'Reactivate a suspended customer (back to the status before the suspension); its old sessions stay ended', errors: ['CUSTOMER_NOT_FOUND'] },
      },
      (input) => reactivateCustomer(deps, { customerId: input.params.id, reason: input.body.reason, actorId: principalOf(input).customerId }),
    ),
  );
}
