import Joi from 'joi';
import type { Router } from 'express';
import { reply, route } from '@shop/platform';
import { authorize, type AuthorizeRequest } from '../app/authorize.use-case.js';
import { capture } from '../app/capture.use-case.js';
import { getAuthorization } from '../app/get-authorization.use-case.js';
import { findAuthorizationsByReference } from '../db/authorization.repository.js';
import { refund } from '../app/refund.use-case.js';
import { voidAuthorization } from '../app/void.use-case.js';
import type { Authorization, Money } from '../authorization.js';
import type { DeclineCode } from '../cards.js';
import { errorBody } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { idempotently, type Answer } from './idempotency.js';
import { byId, byReference, money, reference } from './schemas.js';
import { authorizationView, refundView } from './views.js';

// The card is checked by the card rules, not here: a number that is not a card is a decline
// (incorrect_number) like any the cardholder mistyped, not a bad request.
const card = Joi.object({
  number: Joi.string().min(1).max(30).required(),
  expMonth: Joi.number().integer().min(1).max(12).required(),
  expYear: Joi.number().integer().min(2000).max(2100).required(),
  cvc: Joi.string()
    .pattern(/^\d{3,4}$/)
    .required(),
});

const authorizeBody = Joi.object<AuthorizeRequest>({
  amount: money().required(),
  card: card.required(),
  reference: reference().required(),
});

const amountBody = Joi.object<{ amount?: Money }>({ amount: money() });

const DECLINE_MESSAGES: Record<DeclineCode, string> = {
  incorrect_number: 'the card number is incorrect',
  unsupported_card: 'the card brand is not supported',
  expired_card: 'the card has expired',
  card_declined: 'the card was declined',
  insufficient_funds: 'the card has insufficient funds',
};

/** A stored authorization's answer: 201, or 402 with the decline's code (and the id a GET shows it by). */
function authorizationAnswer(authorization: Authorization): Answer {
  if (authorization.declineCode) {
    return { status: 402, body: errorBody(authorization.declineCode, DECLINE_MESSAGES[authorization.declineCode], { authorizationId: authorization.id }) };
  }
  return { status: 201, body: authorizationView(authorization) };
}

function captureAnswer(authorization: Authorization): Answer {
  if (authorization.status === 'capture_failed') {
    return { status: 402, body: errorBody('capture_declined', 'the card issuer declined the capture', { authorizationId: authorization.id }) };
  }
  return { status: 200, body: authorizationView(authorization) };
}

/** Authorizations: hold, capture, void, refund, look up. Every POST runs once per Idempotency-Key. */
export function authorizationRoutes(router: Router, deps: ApiDeps): void {
  router.post(
    '/authorizations',
    route({ body: authorizeBody }, async ({ body, req, res }) => {
      const answer = await idempotently(deps, req, res, async (ctx) => authorizationAnswer(await authorize(ctx, body)));
      return reply(answer.status, answer.body);
    }),
  );

  router.post(
    '/authorizations/:id/capture',
    route({ params: byId, body: amountBody }, async ({ params, body, req, res }) => {
      const answer = await idempotently(deps, req, res, async (ctx) => captureAnswer(await capture(ctx, params.id, body.amount)));
      return reply(answer.status, answer.body);
    }),
  );

  router.post(
    '/authorizations/:id/void',
    route({ params: byId }, async ({ params, req, res }) => {
      const answer = await idempotently(deps, req, res, async (ctx) => ({ status: 200, body: authorizationView(await voidAuthorization(ctx, params.id)) }));
      return reply(answer.status, answer.body);
    }),
  );

  router.post(
    '/authorizations/:id/refunds',
    route({ params: byId, body: amountBody }, async ({ params, body, req, res }) => {
      const answer = await idempotently(deps, req, res, async (ctx) => {
        const done = await refund(ctx, params.id, body.amount);
        if (done.refund.status === 'failed') {
          return { status: 402, body: errorBody('refund_failed', 'the card issuer refused the refund', { authorizationId: done.refund.authorizationId, refundId: done.refund.id }) };
        }
        return { status: 201, body: refundView(done.refund, done.authorization.amount.currency) };
      });
      return reply(answer.status, answer.body);
    }),
  );

  // A shop whose authorize call timed out finds, by its own reference, what it has to void.
  router.get(
    '/authorizations',
    route({ query: byReference }, async ({ query }) => ({ items: (await findAuthorizationsByReference(deps.db, query.reference)).map(authorizationView) })),
  );

  router.get(
    '/authorizations/:id',
    route({ params: byId }, async ({ params }) => {
      const { authorization, refunds } = await getAuthorization(deps.db, params.id);
      return { ...authorizationView(authorization), refunds: refunds.map((r) => refundView(r, authorization.amount.currency)) };
    }),
  );
}
