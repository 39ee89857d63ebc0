import type { Address, AggregateRef, Money, OrderLineItem } from '@shop/contracts';
import { AppError } from '@shop/platform';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';

/** API.md: PENDING -> CONFIRMED -> SHIPPED -> DELIVERED, and PENDING | CONFIRMED -> CANCELLED. */
const transitions: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(order: Pick<Order, 'id' | 'status'>, to: OrderStatus): void {
  if (!canTransition(order.status, to)) {
    throw new AppError('INVALID_STATUS_TRANSITION', `an order ${order.status} cannot become ${to}`, { orderId: order.id, from: order.status, to });
  }
}

/** A line as the order keeps it: what was bought, at the price it was bought at. */
export interface OrderLine {
  productId: string;
  variantId: string;
  productName: string;
  variantName: string;
  sku: string;
  quantity: number;
  unitPrice: Money;
  subtotal: Money;
}

export interface OrderPayment {
  method: 'card' | 'paypal';
  /** authorized, captured, failed, voided, refunded, refund_failed (as the payment service reported it). */
  status: string;
  brand?: string;
  last4?: string;
  /** Why the payment failed, as the payment service said (a declined capture, an approval cancelled or expired). */
  failureReason?: string;
  /** A cancelled order's money on its way back: pending until the payment service says how it went. */
  refund?: { status: 'pending' | 'refunded' | 'failed'; amount: Money };
}

export interface Order {
  id: string;
  orderNumber: string;
  customerId: string;
  email: string;
  status: OrderStatus;
  lineItems: OrderLine[];
  subtotal: Money;
  shippingCost: Money;
  tax: Money;
  total: Money;
  shippingAddress: Address;
  payment: OrderPayment;
  version: number;
  createdAt: Date;
  confirmedAt?: Date | null;
  trackingNumber?: string | null;
  carrier?: string | null;
  shippedAt?: Date | null;
  deliveredAt?: Date | null;
  cancelledAt?: Date | null;
  cancelReason?: string | null;
}

/** SEQ-ORDER-005: only an order not shipped yet can be cancelled (409 CANCELLATION_NOT_ALLOWED). */
export function assertCancellable(order: Pick<Order, 'id' | 'status'>): void {
  if (!canTransition(order.status, 'CANCELLED')) {
    throw new AppError('CANCELLATION_NOT_ALLOWED', `an order ${order.status} can no longer be cancelled`, { orderId: order.id, status: order.status });
  }
}

/**
 * What a cancellation gives back: the whole total once the money was taken; nothing while it is
 * only held (the hold is voided, no money moved).
 */
export function refundAmountOf(order: Pick<Order, 'total' | 'payment'>): Money {
  const captured = order.payment.status === 'captured';
  return { amount: captured ? order.total.amount : 0, currency: order.total.currency };
}

/** Why a PayPal-style payment ends without money: the shopper cancelled at the provider, or did not approve in time. */
const ABANDONED_APPROVALS = new Set(['approval_cancelled', 'approval_expired']);

/** A PENDING order whose PayPal-style approval was cancelled or ran out: it is cancelled, its stock released. */
export function isAbandonedPayPalOrder(order: Pick<Order, 'status' | 'payment'>): boolean {
  return order.status === 'PENDING' && order.payment.method === 'paypal' && order.payment.status === 'failed' && ABANDONED_APPROVALS.has(order.payment.failureReason ?? '');
}

/** `ORD-<year>-<at least 6 digits>` from the order number sequence: unique, short enough to read out. */
export function formatOrderNumber(year: number, sequence: number): string {
  return `ORD-${year}-${String(sequence).padStart(6, '0')}`;
}

/** The line as events carry it: one name for the product and its variant. */
export function toEventLine(line: OrderLine): OrderLineItem {
  const name = line.variantName && line.variantName !== line.productName ? `${line.productName} (${line.variantName})` : line.productName;
  return { productId: line.productId, variantId: line.variantId, sku: line.sku, name, quantity: line.quantity, unitPrice: line.unitPrice, lineTotal: line.subtotal };
}

/** Where an order shipped, as far as it is kept after an erasure: the country (tax, statistics), nothing that finds a person. */
export function anonymousAddress(address: Pick<Address, 'country'>): Address {
  return { recipientName: '', street: '', city: '', state: '', postalCode: '', country: address.country };
}

export function orderAggregate(order: Pick<Order, 'id' | 'version'>): AggregateRef {
  return { type: 'order', id: order.id, version: order.version };
}

/** A tracking number no order has, as the aggregate of its alert: announced once only, so always at version 1. */
export function unmatchedTrackingAggregate(trackingNumber: string): AggregateRef {
  return { type: 'carrier-tracking', id: trackingNumber, version: 1 };
}
