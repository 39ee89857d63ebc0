/**
 * The one error type of the shop. Domain code and use cases throw it with a code from API.md;
 * only `statusOf` knows which HTTP status a code means.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** Code -> HTTP status, for every code in API.md. */
const statusByCode = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  // customers and auth
  PASSWORD_INVALID: 400,
  INVALID_EMAIL: 400,
  EMAIL_EXISTS: 409,
  INVALID_TOKEN: 400,
  // Shown as INVALID_TOKEN (API.md): a refresh token that does not work is a 401, a verification token a 400.
  INVALID_REFRESH_TOKEN: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_SUSPENDED: 403,
  COUNTRY_NOT_SUPPORTED: 422,
  INVALID_POSTAL_CODE: 422,
  PENDING_ORDERS_EXIST: 409,
  CUSTOMER_NOT_FOUND: 404,
  ADDRESS_LIMIT_REACHED: 409,
  ADDRESS_NOT_FOUND: 404,
  CANNOT_SUSPEND_SELF: 409,
  INVALID_STATUS_TRANSITION: 409,
  // catalog and stock
  CATEGORY_NAME_TAKEN: 409,
  CATEGORY_NOT_FOUND: 404,
  MAX_DEPTH_EXCEEDED: 422,
  PRODUCT_NOT_FOUND: 404,
  INVALID_PRICE: 422,
  INVALID_PRODUCT_NAME: 422,
  DESCRIPTION_TOO_LONG: 422,
  SKU_TAKEN: 409,
  NEGATIVE_QUANTITY: 422,
  NEGATIVE_STOCK: 422,
  INSUFFICIENT_STOCK: 409,
  RESERVATION_EXPIRED: 409,
  // cart
  OUT_OF_STOCK: 409,
  QUANTITY_EXCEEDS_STOCK: 409,
  VARIANT_REQUIRED: 400,
  PRODUCT_INACTIVE: 409,
  ITEM_NOT_FOUND: 404,
  CART_NOT_FOUND: 404,
  // orders and payments
  REGISTRATION_REQUIRED: 401,
  EMAIL_NOT_VERIFIED: 403,
  EMPTY_CART: 409,
  INTERNATIONAL_SHIPPING_NOT_AVAILABLE: 422,
  PAYMENT_FAILED: 402,
  ORDER_NOT_FOUND: 404,
  CANCELLATION_NOT_ALLOWED: 409,
  PAYMENT_PROVIDER_ERROR: 502,
  INVALID_SIGNATURE: 401,
  PAYMENT_NOT_FOUND: 404,
  NOTIFICATION_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

/** Every error code of the shop; a typo in a code is a compile error. */
export type ErrorCode = keyof typeof statusByCode;

/** The HTTP status of a code; an unknown code (from outside the type system) is a 500. */
export function statusOf(code: string): number {
  return (statusByCode as Record<string, number>)[code] ?? 500;
}

/** Codes that clients see under another name: API.md gives one public code two statuses. */
const publicCodes: Partial<Record<ErrorCode, ErrorCode>> = { INVALID_REFRESH_TOKEN: 'INVALID_TOKEN' };

/** The code clients see for a code (API.md gives INVALID_TOKEN two statuses). */
export function publicCodeOf(code: ErrorCode): ErrorCode {
  return publicCodes[code] ?? code;
}

/** The error body of API.md: `{ error: { code, message, details } }`, with the code clients know. */
export function errorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return { error: { code: publicCodes[code] ?? code, message, details } };
}

/** Throws a 404-kind AppError (`code` from the table) unless the value was found. */
export function assertFound<T>(value: T | null | undefined, code: ErrorCode, message: string, details: Record<string, unknown> = {}): asserts value is T {
  if (value === null || value === undefined) throw new AppError(code, message, details);
}
