import Joi from 'joi';
import type { Router } from 'express';
import { reply, route } from '@shop/platform';
import { createPaypalApproval, type PaypalApprovalRequest } from '../app/create-paypal-approval.use-case.js';
import { getPaypalApproval } from '../app/get-paypal-approval.use-case.js';
import { withdrawPaypalApproval } from '../app/withdraw-paypal-approval.use-case.js';
import { findApprovalsByReference } from '../db/paypal-approval.repository.js';
import type { ApiDeps } from './deps.js';
import { idempotently } from './idempotency.js';
import { byId, byReference, money, reference } from './schemas.js';
import { approvalView } from './views.js';

// Only http(s): the shopper's browser is sent there, and javascript: or data: is no place to send it.
const browserUrl = () =>
  Joi.string()
    .max(2000)
    .uri({ scheme: ['http', 'https'] })
    .messages({ 'string.uriCustomScheme': '{{#label}} must be a valid http or https URL' });

const approvalBody = Joi.object<PaypalApprovalRequest>({
  amount: money().required(),
  reference: reference().required(),
  returnUrl: browserUrl().required(),
  cancelUrl: browserUrl().required(),
});

/** PayPal approvals for the merchant: ask for one, look it up, withdraw one nobody gave. Every POST runs once per Idempotency-Key. */
export function paypalRoutes(router: Router, deps: ApiDeps): void {
  const view = (approval: Parameters<typeof approvalView>[0]) => approvalView(approval, deps.publicUrl);

  router.post(
    '/paypal/approvals',
    route({ body: approvalBody }, async ({ body, req, res }) => {
      const answer = await idempotently(deps, req, res, async (ctx) => ({ status: 201, body: view(await createPaypalApproval(ctx, body)) }));
      return reply(answer.status, answer.body);
    }),
  );

  router.post(
    '/paypal/approvals/:id/cancel',
    route({ params: byId }, async ({ params, req, res }) => {
      const answer = await idempotently(deps, req, res, async (ctx) => ({ status: 200, body: view(await withdrawPaypalApproval(ctx, params.id)) }));
      return reply(answer.status, answer.body);
    }),
  );

  // A shop whose create call timed out finds, by its own reference, the approvals it asked for.
  router.get(
    '/paypal/approvals',
    route({ query: byReference }, async ({ query }) => ({ items: (await findApprovalsByReference(deps.db, query.reference)).map(view) })),
  );

  router.get(
    '/paypal/approvals/:id',
    route({ params: byId }, async ({ params }) => view(await getPaypalApproval(deps.db, params.id))),
  );
}
