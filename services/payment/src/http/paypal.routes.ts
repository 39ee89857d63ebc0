import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import type { PaymentDeps } from '../app/deps.js';
import { requestPaypalApproval } from '../app/request-paypal-approval.use-case.js';
import * as schema from './payment.schemas.js';

/** The customer's PayPal-style payment (API.md "Orders and payments"), through the gateway: where to approve it. */
export function paypalRoutes(router: Router, deps: PaymentDeps): void {
  const signedIn = requireAuth(deps.verifyToken);
  router.post(
    '/payments/paypal',
    signedIn,
    route(
      {
        body: schema.paypalApprovalBody,
        response: schema.paypalApprovalResponse,
        doc: {
          summary: "Where to approve my order's PayPal-style payment: the provider's page, which sends the shopper back to returnUrl or cancelUrl",
          description: "The return and cancel pages must be on the shop's own origins.",
          errors: ['PAYMENT_NOT_FOUND', 'CONFLICT', 'PAYMENT_PROVIDER_ERROR'],
        },
      },
      (input) => requestPaypalApproval(deps, { ...input.body, customerId: principalOf(input).customerId }),
    ),
  );
}
