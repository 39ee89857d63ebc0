import type { Authorization, Money } from '../authorization.js';
import { assessCard, type Card } from '../cards.js';
import { insertAuthorization } from '../db/authorization.repository.js';
import { ProviderError } from '../errors.js';
import { newId } from '../ids.js';
import type { UseCaseContext } from './deps.js';

export interface AuthorizeRequest {
  amount: Money;
  card: Card;
  /** The shop's order id. */
  reference: string;
}

/**
 * Holds an amount on a card: the card rules decide, and the outcome is stored whatever it is (a
 * declined authorization too, so it can be looked up). Only the provider failing stores nothing:
 * the same request may be sent again and succeed. The card itself is not stored.
 */
export async function authorize(ctx: UseCaseContext, request: AuthorizeRequest): Promise<Authorization> {
  const verdict = assessCard(request.card, ctx.now);
  if (verdict.outcome === 'provider_error') throw new ProviderError('processing_error', 'the provider could not process the request; try again later');
  const authorization: Authorization = {
    id: newId('auth'),
    status: verdict.outcome === 'authorized' ? 'authorized' : 'declined',
    amount: request.amount,
    reference: request.reference,
    brand: verdict.brand,
    last4: verdict.last4,
    declineCode: verdict.outcome === 'declined' ? verdict.code : null,
    laterFailure: verdict.outcome === 'authorized' ? verdict.laterFailure : null,
    capturedAmount: null,
    refundedAmount: 0,
    createdAt: ctx.now,
    capturedAt: null,
    voidedAt: null,
  };
  await insertAuthorization(ctx.tx, authorization);
  return authorization;
}
