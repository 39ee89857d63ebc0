import { randomUUID } from 'node:crypto';
import type { CustomerEmailChangedV1, CustomerRegisteredV1, CustomerVerificationRequestedV1, Money, OrderPlacedV1 } from '@shop/contracts';
import { DEV_MAIL_SEAL_KEY, sealSecret } from '@shop/platform';

/** Payloads of the events the worker consumes, as their producers write them (links sealed with the development key). */

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;
export const usd = (amount: number): Money => ({ amount, currency: 'USD' });
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

/** A verification link and its token, and the link sealed as the customer service sends it. */
export function verificationLink(): { link: string; token: string; verificationLinkSealed: string } {
  const token = `tok-${randomUUID()}`;
  const link = `https://shop.example/verify-email?token=${token}`;
  return { link, token, verificationLinkSealed: sealSecret(DEV_MAIL_SEAL_KEY, link) };
}

export function registered(email: string, customerId: string = randomUUID()): CustomerRegisteredV1 & { link: string; token: string } {
  const { link, token, verificationLinkSealed } = verificationLink();
  return { customerId, email, firstName: 'Ada', lastName: 'Lovelace', verificationLinkSealed, verificationExpiresAt: inADay(), registeredAt: new Date().toISOString(), link, token };
}

export function emailChanged(customerId: string, oldEmail: string, newEmail: string, firstName = 'Grace'): CustomerEmailChangedV1 & { link: string; token: string } {
  const { link, token, verificationLinkSealed } = verificationLink();
  return { customerId, oldEmail, newEmail, firstName, verificationLinkSealed, verificationExpiresAt: inADay(), changedAt: new Date().toISOString(), link, token };
}

export function verificationRequested(email: string, customerId: string = randomUUID()): CustomerVerificationRequestedV1 & { link: string; token: string } {
  const { link, token, verificationLinkSealed } = verificationLink();
  return { customerId, email, firstName: 'Alan', verificationLinkSealed, verificationExpiresAt: inADay(), requestedAt: new Date().toISOString(), link, token };
}

export function placedOrder(email: string, customerId: string = randomUUID()): OrderPlacedV1 {
  return {
    orderId: randomUUID(),
    orderNumber: `ORD-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    customerId,
    email,
    lineItems: [
      { productId: randomUUID(), variantId: randomUUID(), sku: 'MUG-BLUE', name: 'Blue Mug', quantity: 2, unitPrice: usd(1250), lineTotal: usd(2500) },
      { productId: randomUUID(), variantId: randomUUID(), sku: 'TOWEL-01', name: 'Tea Towel', quantity: 1, unitPrice: usd(1500), lineTotal: usd(1500) },
    ],
    subtotal: usd(4000),
    shippingCost: usd(495),
    tax: usd(325),
    totalAmount: usd(4820),
    shippingAddress: { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62704', country: 'US' },
    placedAt: new Date().toISOString(),
  };
}
