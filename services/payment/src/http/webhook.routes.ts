import type { Router } from 'express';
import { route, SIGNATURE_HEADER, type RawBodyRequest } from '@shop/platform';
import { providerWebhookEvent } from '../adapters/sandbox-provider.js';
import type { PaymentDeps } from '../app/deps.js';
import { receiveProviderWebhook } from '../app/receive-provider-webhook.use-case.js';
import * as schema from './payment.schemas.js';

/** The card processor's webhooks (through the gateway, the raw body untouched: the signature covers it). */
export function webhookRoutes(router: Router, deps: PaymentDeps): void {
  router.post(
    '/webhooks/payments',
    route(
      {
        response: schema.webhookReceivedResponse,
        doc: {
          summary: "The payment provider's signed event: a capture confirms the order; replays change nothing",
          // The provider's event, as its adapter reads it once the signature over the raw bytes is checked.
          body: providerWebhookEvent,
          security: [{ scheme: 'signature' }],
          errors: ['INVALID_SIGNATURE'],
        },
      },
      ({ req }) => receiveProviderWebhook(deps, { rawBody: (req as RawBodyRequest).rawBody, signature: req.get(SIGNATURE_HEADER) }),
    ),
  );
}
