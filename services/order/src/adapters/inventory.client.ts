import { answeredError, createServiceClient, type Logger } from '@shop/platform';

export interface InventoryClient {
  /** Holds the lines' stock for the order, all or none: 409 INSUFFICIENT_STOCK with `details.items` otherwise. Idempotent by orderId. */
  reserve(orderId: string, lines: Array<{ variantId: string; quantity: number }>): Promise<void>;
  /** Keeps the hold for as long as the order lives (409 RESERVATION_EXPIRED when it ran out first). */
  commit(orderId: string): Promise<void>;
  /** The order shipped: its held stock leaves on hand (409 CONFLICT when it was released). Idempotent. */
  deduct(orderId: string): Promise<void>;
  /** Gives the stock back (409 CONFLICT once it was deducted); an order that reserved nothing has nothing to release. */
  release(orderId: string, reason: string): Promise<void>;
  close(): void;
}

/** The inventory service's internal reservation routes, behind a timeout and a circuit breaker. */
export function createInventoryClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): InventoryClient {
  const client = createServiceClient({ name: 'inventory', ...options });
  return {
    async reserve(orderId, lines) {
      const response = await client.request('POST', '/internal/reservations', { orderId, lines });
      if (response.status !== 200 && response.status !== 201) throw answeredError('inventory', response);
    },
    async commit(orderId) {
      const response = await client.request('POST', `/internal/reservations/${orderId}/commit`);
      if (response.status !== 200) throw answeredError('inventory', response);
    },
    async deduct(orderId) {
      const response = await client.request('POST', `/internal/reservations/${orderId}/deduct`);
      if (response.status !== 200) throw answeredError('inventory', response);
    },
    async release(orderId, reason) {
      const response = await client.request('POST', `/internal/reservations/${orderId}/release`, { reason });
      if (response.status === 404) return;
      if (response.status !== 200) throw answeredError('inventory', response);
    },
    close: () => client.close(),
  };
}
