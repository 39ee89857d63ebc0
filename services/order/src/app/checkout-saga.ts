import { orderPlaced, type Address, type PaymentCard } from '@shop/contracts';
import { AppError, type Saga, type SagaStep } from '@shop/platform';
import type { AuthorizedPayment } from '../adapters/payment.client.js';
import type { CheckoutCustomer, ShippingChoice } from '../adapters/customer.client.js';
import { isUniqueViolation } from '@shop/db';
import { cartVersionOrdered, ONE_ORDER_PER_CART_VERSION, writeJournal } from '../db/checkout.repository.js';
import { insertOrder, nextOrderSequence } from '../db/order.repository.js';
import { assertNotEmpty, assertOnSale, type CartLine } from '../domain/checkout.js';
import { formatOrderNumber, orderAggregate, toEventLine, type Order, type OrderLine } from '../domain/order.js';
import { assertDomestic, priceOrder, type OrderTotals } from '../domain/pricing.js';
import type { OrderDeps } from './deps.js';
import { CheckoutTakenOver, pivotEntry } from './checkout-journal.js';

/** What the checkout's steps know and the journal keeps (never the card). */
export interface CheckoutContext {
  orderId: string;
  customerId: string;
  shipping: ShippingChoice;
  customer?: CheckoutCustomer;
  cart?: { cartId: string; version: number; lines: CartLine[] };
  totals?: OrderTotals;
  payment?: AuthorizedPayment;
  order?: { orderNumber: string; createdAt: string };
}

export const PIVOT = 'create-order';

/** How the shopper pays: a card (its fields pass through to the provider), or PayPal-style approval after the order exists. */
export type PaymentChoice = ({ method: 'card' } & PaymentCard) | { method: 'paypal' };

/**
 * SEQ-ORDER-001 as steps with their undo (STYLE.md rule 7): validate the customer, read the cart,
 * price it, reserve stock, authorize the payment, commit the reservation, create the order (the
 * pivot: from there the checkout only goes forward), clear the cart. Every call across services is
 * keyed by the order id, so a step run or undone twice does the work once. The card is only known
 * to the request that placed the order: recovery never authorizes, it undoes or finishes.
 * `placed` is told the order once it exists (the request answers with it).
 */
export function checkoutSaga(deps: OrderDeps, owner: string, payment?: PaymentChoice, placed?: (order: Order) => void): Saga<CheckoutContext> {
  const steps: SagaStep<CheckoutContext>[] = [
    {
      name: 'validate-customer',
      run: async (c) => ({ customer: await deps.customers.checkoutDetails(c.customerId, c.shipping) }),
    },
    {
      name: 'read-cart',
      async run(c) {
        const snapshot = await deps.carts.snapshot(c.customerId);
        assertNotEmpty(snapshot.items);
        assertOnSale(snapshot.items);
        if (await cartVersionOrdered(deps.db, snapshot.cartId, snapshot.version)) {
          throw new AppError('CONFLICT', 'this cart has just been ordered; it is being emptied', { cartId: snapshot.cartId });
        }
        return { cart: { cartId: snapshot.cartId, version: snapshot.version, lines: snapshot.items.map(toCartLine) } };
      },
    },
    {
      name: 'price',
      async run(c) {
        assertDomestic(required(c.customer).shippingAddress, deps.config.SHOP_COUNTRY);
        const rules = { currency: deps.config.SHOP_CURRENCY, shippingFlat: deps.config.SHIPPING_FLAT, freeShippingFrom: deps.config.FREE_SHIPPING_FROM, taxRate: deps.config.TAX_RATE };
        return { totals: priceOrder(required(c.cart).lines, rules) };
      },
    },
    {
      name: 'reserve-stock',
      run: async (c) => deps.inventory.reserve(c.orderId, reservationLines(required(c.cart).lines)),
      compensate: (c) => deps.inventory.release(c.orderId, 'checkout-failed'),
    },
    {
      name: 'authorize-payment',
      async run(c) {
        if (!payment) throw new Error('only the request that placed the order can authorize its payment');
        const request = { orderId: c.orderId, customerId: c.customerId, amount: required(c.totals).total };
        if (payment.method === 'paypal') return { payment: await deps.payments.authorize({ ...request, method: 'paypal' }) };
        const { cardNumber, expMonth, expYear, cvc } = payment;
        return { payment: await deps.payments.authorize({ ...request, card: { cardNumber, expMonth, expYear, cvc } }) };
      },
      compensate: (c) => deps.payments.void(c.orderId),
    },
    {
      // The hold would run out on its own; committed, it lasts as long as the order.
      name: 'commit-reservation',
      run: (c) => deps.inventory.commit(c.orderId),
    },
    {
      name: PIVOT,
      async run(c) {
        const order = await createOrder(deps, owner, saga, c);
        placed?.(order);
        return { order: { orderNumber: order.orderNumber, createdAt: order.createdAt.toISOString() } };
      },
    },
    {
      name: 'clear-cart',
      run: async (c) => deps.carts.clearForOrder(required(c.cart).cartId, c.orderId, required(c.cart).version),
    },
  ];
  const saga = { steps, pivot: PIVOT };
  return saga;
}

/**
 * The pivot, in one transaction: the journal's mark that the order exists (only while this runner
 * still owns the checkout: recovery that took it over may be undoing it), the order PENDING with
 * its number, its first status and `order.placed`.
 */
async function createOrder(deps: OrderDeps, owner: string, saga: Saga<CheckoutContext>, c: CheckoutContext): Promise<Order> {
  const customer = required(c.customer);
  const cart = required(c.cart);
  const totals = required(c.totals);
  const payment = required(c.payment);
  return deps.transaction(async (tx) => {
    const at = deps.now();
    const owned = await writeJournal(tx, c.orderId, owner, pivotEntry(deps, saga, c, { cartId: cart.cartId, version: cart.version }, at), at).catch((err: unknown) => {
      if (isUniqueViolation(err, ONE_ORDER_PER_CART_VERSION)) throw new AppError('CONFLICT', 'this cart has just been ordered; it is being emptied', { cartId: cart.cartId });
      throw err;
    });
    if (!owned) throw new CheckoutTakenOver(c.orderId);
    const orderNumber = formatOrderNumber(at.getUTCFullYear(), await nextOrderSequence(tx));
    const lineItems = cart.lines.map(toOrderLine);
    const shippingAddress: Address = customer.shippingAddress;
    const firstStatus = { to: 'PENDING', by: c.customerId, reason: 'placed' } as const;
    const order = await insertOrder(
      tx,
      {
        id: c.orderId,
        orderNumber,
        customerId: c.customerId,
        email: customer.email,
        status: 'PENDING',
        lineItems,
        ...totals,
        shippingAddress,
        payment: { method: payment.method, status: payment.status, ...(payment.brand && { brand: payment.brand }), ...(payment.last4 && { last4: payment.last4 }) },
        createdAt: at,
      },
      firstStatus,
    );
    await deps.outbox.add(
      tx,
      orderPlaced,
      {
        orderId: order.id,
        orderNumber,
        customerId: c.customerId,
        email: customer.email,
        lineItems: lineItems.map(toEventLine),
        subtotal: totals.subtotal,
        shippingCost: totals.shippingCost,
        tax: totals.tax,
        totalAmount: totals.total,
        shippingAddress,
        placedAt: at.toISOString(),
      },
      orderAggregate(order),
    );
    deps.logger.info('order placed', { orderId: order.id, orderNumber, total: totals.total.amount });
    return order;
  });
}

function toCartLine(item: CartLine): CartLine {
  const { productId, variantId, productName, variantName, sku, quantity, unitPrice, onSale } = item;
  return { productId, variantId, productName, variantName, sku, quantity, unitPrice, onSale };
}

function toOrderLine(line: CartLine): OrderLine {
  const { productId, variantId, productName, variantName, sku, quantity, unitPrice } = line;
  return { productId, variantId, productName, variantName, sku, quantity, unitPrice, subtotal: { amount: unitPrice.amount * quantity, currency: unitPrice.currency } };
}

/** One line per variant: the inventory reserves a variant once per order. */
function reservationLines(lines: CartLine[]): Array<{ variantId: string; quantity: number }> {
  const byVariant = new Map<string, number>();
  for (const line of lines) byVariant.set(line.variantId, (byVariant.get(line.variantId) ?? 0) + line.quantity);
  return [...byVariant].map(([variantId, quantity]) => ({ variantId, quantity }));
}

/** A value an earlier step put in the context; missing means the steps ran out of order, a bug. */
function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a checkout step ran before the step it builds on');
  return value;
}
