import type { Money, PaymentCard } from '@shop/contracts';
import { answeredError, createServiceClient, type Logger } from '@shop/platform';

/** An authorized payment as the order keeps it: never more of the card than brand and last four. */
export interface AuthorizedPayment {
  paymentId: string;
  method: 'card' | 'paypal';
  status: string;
  brand?: string;
  last4?: string;
}

export interface PaymentClient {
  /**
   * Holds the amount on the card, idempotent by orderId: 402 PAYMENT_FAILED with `details.reason`
   * when refused. PayPal-style: a payment awaiting the shopper's approval, no provider call yet.
   */
  authorize(request: { orderId: string; customerId: string; amount: Money } & ({ card: PaymentCard } | { method: 'paypal' })): Promise<AuthorizedPayment>;
  /** Releases what authorize held, or will hold if its answer is still on the way. */
  void(orderId: string): Promise<void>;
  close(): void;
}

/** The payment service's internal routes, behind a timeout (above its own retries with the provider) and a circuit breaker. */
export function createPaymentClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): PaymentClient {
  const client = createServiceClient({ name: 'payment', ...options });
  return {
    async authorize(request) {
      const response = await client.request<AuthorizedPayment>('POST', '/internal/payments/authorizations', request);
      if (response.status !== 201) throw answeredError('payment', response);
      const { paymentId, method, status, brand, last4 } = response.body;
      return { paymentId, method, status, ...(brand && { brand }), ...(last4 && { last4 }) };
    },
    async void(orderId) {
      const response = await client.request('POST', `/internal/payments/${orderId}/void`);
      if (response.status !== 200) throw answeredError('payment', response);
    },
    close: () => client.close(),
  };
}
