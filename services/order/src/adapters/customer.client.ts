import type { Address } from '@shop/contracts';
import { answeredError, createServiceClient, type Logger } from '@shop/platform';

export type ShippingChoice = { shippingAddressId: string } | { shippingAddress: Address };

/** Who is ordering and where it ships, as the customer service vouches for it. */
export interface CheckoutCustomer {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
  shippingAddress: Address;
}

export interface CustomerClient {
  /** 403 EMAIL_NOT_VERIFIED or ACCOUNT_SUSPENDED, 404 ADDRESS_NOT_FOUND, 422 INVALID_POSTAL_CODE as the customer service says. */
  checkoutDetails(customerId: string, choice: ShippingChoice): Promise<CheckoutCustomer>;
  close(): void;
}

/** The customer service's internal checkout route, behind a timeout and a circuit breaker. */
export function createCustomerClient(options: { baseUrl: string; timeoutMs: number; logger: Logger }): CustomerClient {
  const client = createServiceClient({ name: 'customer', ...options });
  return {
    async checkoutDetails(customerId, choice) {
      const response = await client.request<CheckoutCustomer>('POST', `/internal/customers/${customerId}/checkout`, choice);
      if (response.status !== 200) throw answeredError('customer', response);
      return response.body;
    },
    close: () => client.close(),
  };
}
