import type { Router } from 'express';
import { route, SIGNATURE_HEADER, type RawBodyRequest } from '@shop/platform';
import type { PaymentDeps } from '../app/deps.js';
import { receiveProviderWebhook } from '../app/receive-provider-webhook.use-case.js';

/** The card processor's webhooks (through the gateway, the raw body untouched: the signature covers it). */
export function webhookRoutes(router: Router, deps: PaymentDeps): void {
  router.post(
    '/webhooks/payments',
    route({}, ({ req }) => receiveProviderWebhook(deps, { rawBody: (req as RawBodyRequest).rawBody, signature: req.get(SIGNATURE_HEADER) })),
  );
}
