import type { Router } from 'express';
import { reply, route, SIGNATURE_HEADER, validatePart, verifyWebhook, type RawBodyRequest } from '@shop/platform';
import type { OrderDeps } from '../app/deps.js';
import { recordDelivery } from '../app/record-delivery.use-case.js';
import * as schema from './order.schemas.js';

/**
 * The carrier's signed webhook (API.md): the signature over the raw body is checked before the body
 * is read (401 INVALID_SIGNATURE); a tracking number the shop does not know is kept for review, 202.
 */
export function carrierWebhookRoutes(router: Router, deps: OrderDeps): void {
  router.post(
    '/webhooks/carriers',
    route(
      {
        response: { 200: schema.carrierUpdateResponse, 202: schema.carrierUpdateResponse },
        doc: {
          summary: "The carrier's signed status report: `delivered` makes the order DELIVERED; an unknown tracking number is kept for review (202)",
          // The signature covers the raw bytes, so it is checked before the body is read.
          body: schema.carrierUpdateBody,
          security: [{ scheme: 'signature' }],
          errors: ['INVALID_SIGNATURE'],
        },
      },
      async ({ req }) => {
        verifyWebhook(deps.config.CARRIER_WEBHOOK_SECRET, req.get(SIGNATURE_HEADER), (req as RawBodyRequest).rawBody, deps.now());
        const update = validatePart(schema.carrierUpdateBody, req.body, 'body') as { trackingNumber: string; status: string };
        const outcome = await recordDelivery(deps, { trackingNumber: update.trackingNumber, status: update.status });
        return reply(outcome.accepted ? 200 : 202, { received: true, ...outcome });
      },
    ),
  );
}
