/** The error shape every answer of the API has (API.md). */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** An answer that was not a success, or no answer at all (status 0: the network). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${status} ${code}`);
  }

  static from(status: number, body: unknown): ApiError {
    const error = (body as { error?: Partial<ApiErrorBody> } | undefined)?.error;
    if (error && typeof error.code === 'string') return new ApiError(status, error.code, error.message ?? '', error.details ?? {});
    return new ApiError(status, status >= 500 ? 'INTERNAL' : 'UNKNOWN', '', {});
  }
}

const CARD_REASONS: Record<string, string> = {
  card_declined: 'Your card was declined. Try another card.',
  insufficient_funds: 'Your card has insufficient funds. Try another card.',
  unsupported_card: 'This card type is not accepted. Try a Visa or Mastercard.',
  provider_error: 'The payment provider could not be reached. Nothing was charged; try again in a moment.',
  approval_cancelled: 'The payment was cancelled at the provider.',
  approval_expired: 'The payment was not approved in time.',
};

/** Why an order's payment failed (`payment.failureReason`), as the order page tells it afterwards. */
const PAYMENT_FAILURES: Record<string, string> = {
  card_declined: 'The card was declined.',
  insufficient_funds: 'The card had insufficient funds.',
  unsupported_card: 'This card type is not accepted.',
  provider_error: 'The payment provider could not process the payment.',
  approval_cancelled: 'You cancelled the payment at PayPal. Nothing was charged.',
  approval_expired: 'The payment was not approved at PayPal in time. Nothing was charged.',
};

/** The sentence for a payment's failure reason; a reason the shop does not know yet still reads as a sentence. */
export function paymentFailureSentence(reason: string): string {
  return PAYMENT_FAILURES[reason] ?? 'The payment did not go through.';
}

/**
 * The sentence a person reads for each error code of the API: never the code itself. A code the
 * shop does not know yet falls back to the server's message.
 */
const MESSAGES: Record<string, string | ((e: ApiError) => string)> = {
  VALIDATION_ERROR: 'Some fields need your attention.',
  BAD_REQUEST: 'The request could not be understood. Reload the page and try again.',
  UNAUTHORIZED: 'Please sign in to continue.',
  FORBIDDEN: 'You are not allowed to do this.',
  NOT_FOUND: 'We could not find what you were looking for.',
  CONFLICT: 'Someone changed this meanwhile. Reload and try again.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  SERVICE_UNAVAILABLE: 'The shop is busy right now. Try again in a moment.',
  INTERNAL: 'Something went wrong on our side. Try again in a moment.',
  NETWORK: 'The shop cannot be reached. Check your connection and try again.',
  REQUEST_TIMEOUT: 'The request took too long. Try again.',
  PAYLOAD_TOO_LARGE: 'What you sent is too large.',
  HEADERS_TOO_LARGE: 'The request was too large. Sign out and in again.',
  UNSUPPORTED_MEDIA_TYPE: 'The request could not be understood. Reload the page and try again.',
  PASSWORD_INVALID: 'The password needs at least 8 characters and a digit.',
  INVALID_EMAIL: 'This is not a valid e-mail address.',
  EMAIL_EXISTS: 'An account with this e-mail address exists already. Sign in instead.',
  INVALID_TOKEN: 'This link is not valid any more (it may have expired or a newer one was sent). Ask for a new one.',
  INVALID_CREDENTIALS: 'The e-mail address or the password is wrong.',
  ACCOUNT_SUSPENDED: 'Your account is suspended. Contact us for help.',
  COUNTRY_NOT_SUPPORTED: (e) => `${capitalize(e.serverMessage) || 'We do not ship to this country'}.`,
  INVALID_POSTAL_CODE: 'This postal code does not fit the country.',
  ADDRESS_LIMIT_REACHED: 'You have 20 addresses already. Delete one first.',
  ADDRESS_NOT_FOUND: 'This address is gone. Pick another one.',
  PENDING_ORDERS_EXIST: 'Your account can be deleted once every order has been delivered or cancelled.',
  CUSTOMER_NOT_FOUND: 'This customer does not exist.',
  CANNOT_SUSPEND_SELF: 'You cannot suspend your own account.',
  CATEGORY_NAME_TAKEN: 'A category with this name exists already here.',
  CATEGORY_NOT_FOUND: 'This category does not exist.',
  MAX_DEPTH_EXCEEDED: 'Categories go at most three levels deep.',
  PRODUCT_NOT_FOUND: 'This product is not available.',
  INVALID_PRICE: 'The price must be at least 0.01.',
  SKU_TAKEN: 'Another variant has this SKU already. Choose another SKU.',
  PAYMENT_NOT_FOUND: 'This order has no payment to continue. Place the order again.',
  INVALID_SIGNATURE: 'The signature of this message is not valid.',
  INVALID_PRODUCT_NAME: 'The name needs 2 to 200 characters.',
  DESCRIPTION_TOO_LONG: 'The description may have at most 5000 characters.',
  NEGATIVE_QUANTITY: 'The quantity cannot be negative.',
  NEGATIVE_STOCK: 'This change would leave less than nothing in stock.',
  OUT_OF_STOCK: 'Sorry, this is sold out.',
  QUANTITY_EXCEEDS_STOCK: (e) => {
    const available = Number(e.details.available);
    if (!Number.isFinite(available)) return 'There are not that many left.';
    return available <= 0 ? 'Sorry, none are left.' : `Only ${available} left: choose ${available} or fewer.`;
  },
  VARIANT_REQUIRED: 'Choose a variant first.',
  PRODUCT_INACTIVE: 'This product is no longer on sale.',
  ITEM_NOT_FOUND: 'This line is no longer in your cart.',
  CART_NOT_FOUND: 'This cart does not exist any more.',
  REGISTRATION_REQUIRED: 'Create an account or sign in to place an order.',
  EMAIL_NOT_VERIFIED: 'Confirm your e-mail address first: follow the link we sent you.',
  EMPTY_CART: 'Your cart is empty.',
  INSUFFICIENT_STOCK: 'Some items are no longer available in the quantity you chose. Check your cart.',
  INTERNATIONAL_SHIPPING_NOT_AVAILABLE: (e) => `${capitalize(e.serverMessage) || 'We do not ship to this country'}. Choose another address.`,
  PAYMENT_FAILED: (e) => CARD_REASONS[String(e.details.reason)] ?? 'The payment failed. Nothing was charged; try another card.',
  PAYMENT_PROVIDER_ERROR: 'The payment provider could not be reached. Try again in a moment.',
  ORDER_NOT_FOUND: 'This order does not exist.',
  CANCELLATION_NOT_ALLOWED: 'This order can no longer be cancelled.',
  INVALID_STATUS_TRANSITION: 'The order is not in a state that allows this.',
  NOTIFICATION_NOT_FOUND: 'This e-mail does not exist.',
  RESERVATION_EXPIRED: 'Your checkout took too long. Try again.',
};

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** The sentence to show for an error of any kind (an API answer, the network, a bug). */
export function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return MESSAGES.INTERNAL as string;
  const message = MESSAGES[error.code];
  if (typeof message === 'function') return message(error);
  if (message) return message;
  return error.serverMessage ? `${capitalize(error.serverMessage)}.` : (MESSAGES.INTERNAL as string);
}

/** VALIDATION_ERROR's `details.fields`, by field name: what to show next to each input. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields = error.details.fields;
  const result: Record<string, string> = {};
  if (Array.isArray(fields)) {
    for (const field of fields as Array<{ field?: unknown; message?: unknown }>) {
      if (typeof field.field !== 'string') continue;
      const name = field.field.split('.').pop() ?? field.field;
      result[name] ??= typeof field.message === 'string' ? capitalize(field.message.replace(/"/g, '')) : 'This value is not valid.';
    }
  }
  if (error.code === 'PASSWORD_INVALID') result.password = messageFor(error);
  if (error.code === 'INVALID_EMAIL' || error.code === 'EMAIL_EXISTS') result.email = messageFor(error);
  if (error.code === 'INVALID_POSTAL_CODE') result.postalCode = messageFor(error);
  if (error.code === 'COUNTRY_NOT_SUPPORTED') result.country = messageFor(error);
  return result;
}
