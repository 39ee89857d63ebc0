import { randomUUID } from 'node:crypto';
import type {
  CartExpiredV1,
  CustomerEmailChangedV1,
  CustomerProfileUpdatedV1,
  CustomerRegisteredV1,
  CustomerSuspendedV1,
  CustomerVerificationRequestedV1,
  InventoryLowStockV1,
  InventoryOutOfStockV1,
  Money,
  OrderCancelledV1,
  OrderCarrierUpdateUnmatchedV1,
  OrderDeliveredV1,
  OrderPlacedV1,
  OrderShippedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentRefundFailedV1,
} from '@shop/contracts';
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

export function profileUpdated(customerId: string, firstName: string, lastName = 'Lovelace'): CustomerProfileUpdatedV1 {
  return { customerId, firstName, lastName, updatedAt: new Date().toISOString() };
}

export function suspended(customerId: string, email: string, reason = 'chargebacks under review'): CustomerSuspendedV1 {
  return { customerId, email, reason, suspendedAt: new Date().toISOString() };
}

export function shipped(order: OrderPlacedV1, carrier = 'UPS', trackingNumber = `1Z${randomUUID().slice(0, 10).toUpperCase()}`): OrderShippedV1 {
  return { orderId: order.orderId, orderNumber: order.orderNumber, customerId: order.customerId, carrier, trackingNumber, shippedAt: new Date().toISOString() };
}

export function delivered(order: OrderPlacedV1): OrderDeliveredV1 {
  return { orderId: order.orderId, orderNumber: order.orderNumber, customerId: order.customerId, deliveredAt: new Date().toISOString() };
}

export function cancelled(order: OrderPlacedV1, reason: string, refundAmount: Money): OrderCancelledV1 {
  const { orderId, orderNumber, customerId, lineItems } = order;
  return { orderId, orderNumber, customerId, reason, lineItems, refundAmount, cancelledBy: customerId, cancelledAt: new Date().toISOString() };
}

/** Payment events name the order by its id only. */
export function refunded(order: OrderPlacedV1, amount: Money = order.totalAmount): PaymentRefundedV1 {
  return { paymentId: randomUUID(), orderId: order.orderId, customerId: order.customerId, amount, paymentMethod: 'card', refundId: `re_${randomUUID()}`, refundedAt: new Date().toISOString() };
}

export function paymentFailedFor(order: OrderPlacedV1, reason: string): PaymentFailedV1 {
  return { paymentId: randomUUID(), orderId: order.orderId, customerId: order.customerId, amount: order.totalAmount, paymentMethod: 'card', reason, failedAt: new Date().toISOString() };
}

export function refundFailed(order: OrderPlacedV1, reason = 'card account closed'): PaymentRefundFailedV1 {
  return { paymentId: randomUUID(), orderId: order.orderId, customerId: order.customerId, amount: order.totalAmount, paymentMethod: 'card', reason, failedAt: new Date().toISOString() };
}

export function cartExpiredFor(customerId: string | null): CartExpiredV1 {
  return { cartId: randomUUID(), customerId, lastActivityAt: new Date(Date.now() - 30 * 86_400_000).toISOString(), expiredAt: new Date().toISOString() };
}

export function lowStock(productName: string, sku: string, currentStock = 3, threshold = 5): InventoryLowStockV1 {
  return { inventoryId: randomUUID(), variantId: randomUUID(), productId: randomUUID(), productName, sku, currentStock, threshold, triggeredAt: new Date().toISOString() };
}

export function outOfStock(productName: string, sku: string): InventoryOutOfStockV1 {
  return { inventoryId: randomUUID(), variantId: randomUUID(), productId: randomUUID(), productName, sku, triggeredAt: new Date().toISOString() };
}

export function carrierUpdateUnmatched(trackingNumber: string, carrierStatus = 'delivered'): OrderCarrierUpdateUnmatchedV1 {
  return { trackingNumber, carrierStatus, receivedAt: new Date().toISOString() };
}
