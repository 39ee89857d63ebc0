import type { Address, CustomerDataErasedV1 } from '@shop/contracts';
import type { Transaction } from '@shop/db';
import { anonymizeCheckout, lockCheckoutsOfCustomer } from '../db/checkout.repository.js';
import { anonymizeOrder, lockOrdersOfCustomer } from '../db/order.repository.js';
import { anonymousAddress } from '../domain/order.js';
import type { OrderDatabase } from '../db/schema.js';
import type { CheckoutContext } from './checkout-saga.js';
import type { OrderDeps } from './deps.js';

/**
 * customer.data-erased, in the consumer's transaction: the customer's orders stay with their lines,
 * totals, payment and fulfilment (the shop's accounts and the admin's order history need them), but
 * go by the anonymous id and lose the e-mail and the shipping address (all but its country); the
 * journals of the customer's checkouts forget the same (name, e-mail, addresses, and the hash of
 * the request, which covered the address). Run again, it finds nothing of the customer left.
 */
export async function anonymizeCustomerOrders(deps: OrderDeps, tx: Transaction<OrderDatabase>, event: CustomerDataErasedV1): Promise<void> {
  const { customerId, anonymizedId } = event;
  const at = deps.now();
  const orders = await lockOrdersOfCustomer(tx, customerId);
  for (const order of orders) {
    await anonymizeOrder(tx, order.id, { customerId, anonymizedId, shippingAddress: anonymousAddress(order.shipping_address) }, at);
  }
  const checkouts = await lockCheckoutsOfCustomer(tx, customerId);
  for (const checkout of checkouts) {
    await anonymizeCheckout(
      tx,
      checkout.id,
      { anonymizedId, context: anonymousContext(checkout.context as unknown as CheckoutContext, anonymizedId), answerBody: checkout.answerBody === null ? null : anonymousAnswer(checkout.answerBody) },
      at,
    );
  }
  // Never the customer's id next to the anonymous one: the log would link them again.
  deps.logger.info('orders of an erased customer anonymized', { anonymizedId, orders: orders.length, checkouts: checkouts.length });
}

/** A checkout's journal without the customer: the anonymous id, no name or e-mail, addresses reduced to their country. */
function anonymousContext(context: CheckoutContext, anonymizedId: string): CheckoutContext {
  const shipping = context.shipping && 'shippingAddress' in context.shipping ? { shippingAddress: anonymousAddress(context.shipping.shippingAddress) } : context.shipping;
  const customer = context.customer && { customerId: anonymizedId, email: '', firstName: '', lastName: '', shippingAddress: anonymousAddress(context.customer.shippingAddress) };
  return { ...context, customerId: anonymizedId, shipping, ...(customer && { customer }) };
}

/** The answer kept for the Idempotency-Key: the order as placed, its shipping address reduced alike. */
function anonymousAnswer(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || !('shippingAddress' in body)) return body;
  return { ...body, shippingAddress: anonymousAddress(body.shippingAddress as Address) };
}
