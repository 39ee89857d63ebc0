/**
 * The provider's own error type and shape, `{ error: { code, message } }` with snake_case codes,
 * like a real card processor's: the sandbox stands in for something outside the shop, so the
 * shop's AppError and its codes are deliberately not used for its answers.
 */

/** Code -> HTTP status, for every code the sandbox answers with. */
const statusByCode = {
  invalid_request: 400,
  idempotency_key_required: 400,
  amount_too_large: 400,
  currency_mismatch: 400,
  unauthorized: 401,
  incorrect_number: 402,
  unsupported_card: 402,
  expired_card: 402,
  card_declined: 402,
  insufficient_funds: 402,
  capture_declined: 402,
  refund_failed: 402,
  not_found: 404,
  idempotency_key_reused: 409,
  authorization_voided: 409,
  authorization_captured: 409,
  authorization_declined: 409,
  not_captured: 409,
  approval_completed: 409,
  approval_cancelled: 409,
  request_too_large: 413,
  unsupported_media_type: 415,
  processing_error: 500,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

export type ProviderErrorCode = keyof typeof statusByCode;

/** Extra facts beside code and message: the id of the declined authorization or failed refund. */
export type ErrorExtras = Record<string, string>;

/** What use cases throw for a request the provider refuses; the API's error handler answers it. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly extras: ErrorExtras = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export function statusOf(code: ProviderErrorCode): number {
  return statusByCode[code];
}

export function errorBody(code: ProviderErrorCode, message: string, extras: ErrorExtras = {}) {
  return { error: { code, message, ...extras } };
}
