import Joi from 'joi';
import { AppError, createServiceClient, validatePart, verifyWebhook, type Logger } from '@shop/platform';
import type { AuthorizeOutcome, CaptureOutcome, PaymentProvider, ProviderApproval, ProviderEvent, RefundOutcome, WithdrawOutcome } from '../app/payment-provider.js';
import { declineReasonOf } from '../domain/payment.js';

export interface SandboxProviderOptions {
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  timeoutMs: number;
  logger: Logger;
}

const authorizationAnswer = Joi.object({
  id: Joi.string().required(),
  status: Joi.string().required(),
  brand: Joi.string().allow(null),
  last4: Joi.string().allow(null),
}).unknown(true);

const refusal = Joi.object({ error: Joi.object({ code: Joi.string().required(), authorizationId: Joi.string() }).unknown(true).required() }).unknown(true);

const approvalAnswer = Joi.object({
  id: Joi.string().max(200).required(),
  status: Joi.string().required(),
  approvalUrl: Joi.string().uri({ scheme: ['http', 'https'] }).max(2000).required(),
  authorizationId: Joi.string().max(200).allow(null),
  approvedAt: Joi.date().iso().allow(null),
}).unknown(true);

type ApprovalAnswer = { id: string; status: string; approvalUrl: string; authorizationId?: string | null; approvedAt?: Date | null };

const approvalList = Joi.object({ items: Joi.array().items(approvalAnswer).required() }).unknown(true);

// A shopper's cancellation of a PayPal approval names the approval only: no authorization was made.
export const providerWebhookEvent = Joi.object({
  id: Joi.string().max(200).required(),
  type: Joi.string().max(100).required(),
  created: Joi.number().integer().required(),
  data: Joi.object({
    authorizationId: Joi.string().max(200),
    approvalId: Joi.string().max(200),
    reference: Joi.string().max(200),
    reason: Joi.string().max(200),
    refundId: Joi.string().max(200),
    amount: Joi.object({ amount: Joi.number().integer().min(0).required(), currency: Joi.string().pattern(/^[A-Z]{3}$/).required() }).unknown(true),
  })
    .or('authorizationId', 'approvalId')
    .unknown(true)
    .required(),
}).unknown(true);

const refundAnswer = Joi.object({
  id: Joi.string().max(200).required(),
  amount: Joi.object({ amount: Joi.number().integer().min(0).required(), currency: Joi.string().required() }).unknown(true).required(),
}).unknown(true);

/** The provider's refusals of a refund that asking again would not change: staff takes them over. */
const refundRefusals: Record<number, readonly string[]> = {
  400: ['amount_too_large', 'currency_mismatch'],
  404: ['not_found'],
  409: ['not_captured'],
};

const providerTypes: Record<string, ProviderEvent['type']> = {
  'payment.captured': 'captured',
  'payment.capture_failed': 'capture_failed',
  'payment.refunded': 'refunded',
  'payment.refund_failed': 'refund_failed',
  'payment.approval_cancelled': 'approval_cancelled',
};

/**
 * The sandbox card processor and PayPal-style wallet (infra/payment-sandbox) behind the provider
 * port: its REST API with an API key and an idempotency key on every change, behind a timeout and
 * a circuit breaker, and its webhooks signed with the shop's webhook secret.
 */
export function createSandboxProvider(options: SandboxProviderOptions): PaymentProvider {
  // One failing card must not open the breaker for every shopper: it opens on many failures only.
  const client = createServiceClient({ name: 'payment-provider', baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/v1`, timeoutMs: options.timeoutMs, logger: options.logger, volumeThreshold: 10 });
  const headers = (idempotencyKey?: string) => ({ 'x-api-key': options.apiKey, ...(idempotencyKey && { 'idempotency-key': idempotencyKey }) });

  return {
    async authorize(request): Promise<AuthorizeOutcome> {
      const { status, body } = await client.request(
        'POST',
        '/authorizations',
        {
          amount: request.amount,
          reference: request.reference,
          card: { number: request.card.cardNumber, expMonth: request.card.expMonth, expYear: request.card.expYear, cvc: request.card.cvc },
        },
        headers(request.idempotencyKey),
      );
      if (status === 201) {
        const authorization = expected<{ id: string; brand: string | null; last4: string | null }>(body, authorizationAnswer, status);
        return { outcome: 'authorized', authorizationId: authorization.id, brand: authorization.brand ?? 'unknown', last4: authorization.last4 ?? '' };
      }
      if (status === 402) {
        const { error } = expected<{ error: { code: string } }>(body, refusal, status);
        return { outcome: 'declined', reason: declineReasonOf(error.code) };
      }
      throw unexpected(status);
    },

    async capture(request): Promise<CaptureOutcome> {
      const { status, body } = await client.request('POST', `/authorizations/${encodeURIComponent(request.authorizationId)}/capture`, { amount: request.amount }, headers(request.idempotencyKey));
      if (status === 200) return { outcome: 'requested' };
      if (status === 402) return { outcome: 'declined', reason: expected<{ error: { code: string } }>(body, refusal, status).error.code };
      throw unexpected(status);
    },

    async void(request) {
      const { status, body } = await client.request('POST', `/authorizations/${encodeURIComponent(request.authorizationId)}/void`, undefined, headers(request.idempotencyKey));
      const code = errorCodeOf(body);
      // Declined: nothing was held, so nothing is left to void.
      if (status === 200 || (status === 409 && code === 'authorization_declined')) return 'voided';
      if (status === 409 && code === 'authorization_captured') return 'captured';
      throw unexpected(status);
    },

    async refund(request): Promise<RefundOutcome> {
      const { status, body } = await client.request(
        'POST',
        `/authorizations/${encodeURIComponent(request.authorizationId)}/refunds`,
        { amount: request.amount },
        headers(request.idempotencyKey),
      );
      if (status === 201) {
        const refund = expected<{ id: string; amount: { amount: number; currency: string } }>(body, refundAnswer, status);
        return { outcome: 'refunded', refundId: refund.id, amount: { amount: refund.amount.amount, currency: refund.amount.currency } };
      }
      if (status === 402) return { outcome: 'declined', reason: expected<{ error: { code: string } }>(body, refusal, status).error.code };
      const code = errorCodeOf(body);
      if (code && refundRefusals[status]?.includes(code)) return { outcome: 'declined', reason: code };
      throw unexpected(status);
    },

    async statusOf(authorizationId) {
      const { status, body } = await client.request('GET', `/authorizations/${encodeURIComponent(authorizationId)}`, undefined, headers());
      if (status !== 200) throw unexpected(status);
      return expected<{ status: string }>(body, authorizationAnswer, status).status;
    },

    async authorizationsFor(reference) {
      const { status, body } = await client.request('GET', `/authorizations?reference=${encodeURIComponent(reference)}`, undefined, headers());
      if (status !== 200) throw unexpected(status);
      const list = expected<{ items: Array<{ id: string; status: string }> }>(body, Joi.object({ items: Joi.array().items(authorizationAnswer).required() }).unknown(true), status);
      return list.items.map((item) => ({ authorizationId: item.id, status: item.status }));
    },

    async createApproval(request) {
      const { status, body } = await client.request(
        'POST',
        '/paypal/approvals',
        { amount: request.amount, reference: request.reference, returnUrl: request.returnUrl, cancelUrl: request.cancelUrl },
        headers(request.idempotencyKey),
      );
      if (status === 201) return approvalOf(expected<ApprovalAnswer>(body, approvalAnswer, status));
      if (status === 409 && errorCodeOf(body) === 'idempotency_key_reused') return 'key_reused';
      throw unexpected(status);
    },

    async withdrawApproval(request): Promise<WithdrawOutcome> {
      const path = `/paypal/approvals/${encodeURIComponent(request.approvalId)}`;
      const { status, body } = await client.request('POST', `${path}/cancel`, undefined, headers(request.idempotencyKey));
      if (status === 200) return { outcome: 'withdrawn' };
      if (status !== 409 || errorCodeOf(body) !== 'approval_completed') throw unexpected(status);
      // Approved first: the approval names the captured authorization it became.
      const found = await client.request('GET', path, undefined, headers());
      if (found.status !== 200) throw unexpected(found.status);
      const approval = approvalOf(expected<ApprovalAnswer>(found.body, approvalAnswer, found.status));
      if (!approval.authorizationId || !approval.approvedAt) throw unexpected(found.status);
      return { outcome: 'approved', authorizationId: approval.authorizationId, approvedAt: approval.approvedAt };
    },

    async approvalsFor(reference) {
      const { status, body } = await client.request('GET', `/paypal/approvals?reference=${encodeURIComponent(reference)}`, undefined, headers());
      if (status !== 200) throw unexpected(status);
      return expected<{ items: ApprovalAnswer[] }>(body, approvalList, status).items.map(approvalOf);
    },

    readWebhook(rawBody, signature): ProviderEvent {
      verifyWebhook(options.webhookSecret, signature, rawBody);
      // As every request body is validated: a NUL or a lone surrogate is refused before it reaches the database.
      const event = validatePart(providerWebhookEvent, webhookJson(rawBody as Buffer), 'body') as {
        id: string;
        type: string;
        created: number;
        data: { authorizationId?: string; approvalId?: string; reference?: string; reason?: string; refundId?: string; amount?: { amount: number; currency: string } };
      };
      return {
        eventId: event.id,
        type: providerTypes[event.type] ?? 'other',
        providerType: event.type,
        ...(event.data.authorizationId && { authorizationId: event.data.authorizationId }),
        ...(event.data.approvalId && { approvalId: event.data.approvalId }),
        ...(event.data.reference && { reference: event.data.reference }),
        ...(event.data.reason && { reason: event.data.reason }),
        ...(event.data.refundId && { refundId: event.data.refundId }),
        ...(event.data.amount && { amount: { amount: event.data.amount.amount, currency: event.data.amount.currency } }),
        occurredAt: new Date(event.created * 1000),
      };
    },

    close: () => client.close(),
  };
}

/** The signed bytes as JSON, read as the body parser reads every other body (a leading byte order mark is allowed). */
function webhookJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new AppError('VALIDATION_ERROR', 'the webhook is not valid JSON', { fields: [{ location: 'body', field: '', message: 'malformed JSON' }] });
  }
}

function approvalOf(answer: ApprovalAnswer): ProviderApproval {
  return { approvalId: answer.id, status: answer.status, approvalUrl: answer.approvalUrl, authorizationId: answer.authorizationId ?? null, approvedAt: answer.approvedAt ?? null };
}

function errorCodeOf(body: unknown): string | undefined {
  return (body as { error?: { code?: string } } | undefined)?.error?.code;
}

/** The answer in the shape the provider documents; anything else is the provider's failure. */
function expected<T>(body: unknown, schema: Joi.Schema, status: number): T {
  const { value, error } = schema.validate(body);
  if (error) throw unexpected(status);
  return value as T;
}

/** The provider said something it should not have: not the shopper's fault, and worth another try. */
function unexpected(status: number): AppError {
  return new AppError('SERVICE_UNAVAILABLE', `the payment provider answered ${status} unexpectedly`);
}
