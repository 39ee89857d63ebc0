import { answeredError, createServiceClient, type Logger } from '@shop/platform';
import type { CartLine } from '../domain/checkout.js';

/** The customer's cart as checkout reads it: its lines at current prices, and its version. */
export interface CartSnapshot {
  cartId: string;
  version: number;
  items: CartLine[];
}

export interface CartClient {
  snapshot(customerId: string): Promise<CartSnapshot>;
  /** Takes the snapshot's lines out of the cart for the order; asked again, it removes nothing more. */
  clearForOrder(cartId: string, orderId: string, version: number): Promise<void>;
  close(): void;
}

/** The cart service's internal checkout routes, behind a timeout and a circuit breaker. */
export function createCartClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): CartClient {
  const client = createServiceClient({ name: 'cart', ...options });
  return {
    async snapshot(customerId) {
      const response = await client.request<CartSnapshot>('GET', `/internal/carts/by-customer/${customerId}`);
      if (response.status !== 200) throw answeredError('cart', response);
      return response.body;
    },
    async clearForOrder(cartId, orderId, version) {
      const response = await client.request('POST', `/internal/carts/${cartId}/clear`, { orderId, version });
      // A cart gone (a guest's merged away, one expired) has nothing left to clear.
      if (response.status === 404) return;
      if (response.status !== 200) throw answeredError('cart', response);
    },
    close: () => client.close(),
  };
}
