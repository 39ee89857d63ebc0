import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type Joi from 'joi';
import * as c from '../src/index';
import type { Address, EventContract, EventEnvelope, OrderLineItem, ProductVariant } from '../src/index';

// The event types in the table of EVENTS.md.
const CATALOG_TYPES = [
  'customer.registered',
  'customer.verified',
  'customer.email-changed',
  'customer.profile-updated',
  'customer.suspended',
  'customer.sessions-invalidated',
  'customer.shipping-address-added',
  'customer.data-erased',
  'cart.item-added',
  'cart.item-quantity-updated',
  'cart.item-removed',
  'cart.cleared',
  'cart.merged',
  'cart.expired',
  'product.created',
  'product.updated',
  'product.deleted',
  'product.activated',
  'product.deactivated',
  'category.created',
  'inventory.quantity-set',
  'inventory.adjusted',
  'inventory.restocked',
  'inventory.reserved',
  'inventory.released',
  'inventory.deducted',
  'inventory.low-stock',
  'inventory.out-of-stock',
  'order.placed',
  'order.confirmed',
  'order.shipped',
  'order.delivered',
  'order.cancelled',
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'payment.voided',
  'payment.refunded',
  'payment.refund-failed',
  'notification.sent',
  'notification.failed',
];

const at = '2025-12-29T16:22:00.000Z';
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const id = () => randomUUID();

const customerId = id();
const cartId = id();
const productId = id();
const variantId = id();
const inventoryId = id();
const orderId = id();
const paymentId = id();
const adminId = id();

const variant: ProductVariant = { variantId, sku: 'TSHIRT-BLK-M', name: 'Black / M', price: eur(1999) };
const lineItem: OrderLineItem = {
  productId,
  variantId,
  sku: 'TSHIRT-BLK-M',
  name: 'Organic T-Shirt, Black / M',
  quantity: 2,
  unitPrice: eur(1999),
  lineTotal: eur(3998),
};
const shippingAddress: Address = {
  recipientName: 'Ada Lovelace',
  street: 'Hauptstraße 1',
  city: 'Berlin',
  state: '',
  postalCode: '10115',
  country: 'DE',
};

interface Sample {
  contract: EventContract<unknown>;
  data: Record<string, unknown>;
}
// Typed per contract so a sample that drifts from the payload interface fails to compile.
function sample<D>(contract: EventContract<D>, data: D): Sample {
  return { contract: contract as EventContract<unknown>, data: data as Record<string, unknown> };
}

// Optional fields are included so every schema key is exercised.
const samples: Sample[] = [
  sample(c.customerRegistered, {
    customerId,
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    verificationLinkSealed: 'v1.aXY.Y2lwaGVy.dGFn',
    verificationExpiresAt: '2026-01-02T00:00:00.000Z',
    registeredAt: at,
  }),
  sample(c.customerVerified, { customerId, email: 'ada@example.com', verifiedAt: at }),
  sample(c.customerEmailChanged, {
    customerId,
    oldEmail: 'ada@example.com',
    newEmail: 'ada.l@example.com',
    firstName: 'Ada',
    verificationLinkSealed: 'v1.aXY.Y2lwaGVy.dGFn',
    verificationExpiresAt: '2026-01-02T00:00:00.000Z',
    changedAt: at,
  }),
  sample(c.customerVerificationRequested, {
    customerId,
    email: 'ada@example.com',
    firstName: 'Ada',
    verificationLinkSealed: 'v1.aXY.Y2lwaGVy.dGFn',
    verificationExpiresAt: '2026-01-02T00:00:00.000Z',
    requestedAt: at,
  }),
  sample(c.customerProfileUpdated, { customerId, firstName: 'Ada', lastName: 'King', updatedAt: at }),
  sample(c.customerPasswordChanged, { customerId, changedAt: at }),
  sample(c.customerSuspended, { customerId, email: 'ada@example.com', reason: 'fraud suspected', suspendedAt: at }),
  sample(c.customerSessionsInvalidated, { customerId, notBefore: at, sessionIds: [id()], reason: 'logout' }),
  sample(c.customerLoggedIn, { customerId, guestCartId: id(), loggedInAt: at }),
  sample(c.customerReactivated, { customerId, status: 'verified', reason: 'appeal granted', reactivatedBy: id(), reactivatedAt: at }),
  sample(c.customerShippingAddressAdded, { customerId, addressId: id(), address: shippingAddress, addedAt: at }),
  sample(c.customerDataErased, { customerId, anonymizedId: id(), erasedAt: at, email: 'ada@example.com', firstName: 'Ada' }),

  sample(c.cartItemAdded, {
    cartId,
    customerId,
    cartItemId: id(),
    productId,
    variantId,
    quantity: 2,
    unitPrice: eur(1999),
    addedAt: at,
  }),
  sample(c.cartItemQuantityUpdated, {
    cartId,
    customerId,
    cartItemId: id(),
    productId,
    variantId,
    oldQuantity: 2,
    newQuantity: 3,
    updatedAt: at,
  }),
  sample(c.cartItemRemoved, {
    cartId,
    customerId: null,
    cartItemId: id(),
    productId,
    variantId,
    reason: 'customer',
    removedAt: at,
  }),
  sample(c.cartCleared, { cartId, customerId, reason: 'order-placed', clearedAt: at }),
  sample(c.cartMerged, {
    cartId,
    guestCartId: id(),
    customerId,
    mergedItems: [{ productId, variantId, quantity: 3 }],
    mergedAt: at,
  }),
  sample(c.cartExpired, { cartId, customerId, lastActivityAt: '2025-12-01T10:00:00.000Z', expiredAt: at }),

  sample(c.productCreated, {
    productId,
    name: 'Organic T-Shirt',
    description: 'Soft organic cotton.',
    price: eur(1999),
    categoryId: id(),
    status: 'draft',
    variants: [variant],
    initialStock: 25,
    createdBy: adminId,
    createdAt: at,
  }),
  sample(c.productUpdated, {
    productId,
    name: 'Organic Tee',
    price: eur(1799),
    changedFields: { name: 'Organic Tee', description: 'Even softer.', price: eur(1799) },
    variants: [variant],
    updatedBy: adminId,
    updatedAt: at,
  }),
  sample(c.productDeleted, { productId, variantIds: [variantId], deletedBy: adminId, deletedAt: at }),
  sample(c.productActivated, { productId, variantIds: [variantId], activatedBy: adminId, activatedAt: at }),
  sample(c.productDeactivated, { productId, variantIds: [variantId], deactivatedBy: null, deactivatedAt: at }),
  sample(c.categoryCreated, { categoryId: id(), name: 'Shirts', parentCategoryId: id(), depth: 2, createdAt: at }),

  sample(c.inventoryQuantitySet, {
    inventoryId,
    variantId,
    productId,
    previous: 10,
    new: 40,
    reason: 'stock count',
    userId: adminId,
    available: 38,
    lowStockThreshold: 5,
    stockStatus: 'in_stock',
    setAt: at,
  }),
  sample(c.inventoryAdjusted, {
    inventoryId,
    variantId,
    productId,
    previous: 40,
    adjustment: -36,
    new: 4,
    reason: 'damaged in warehouse',
    userId: adminId,
    available: 4,
    lowStockThreshold: 5,
    stockStatus: 'low_stock',
    adjustedAt: at,
  }),
  sample(c.inventoryRestocked, {
    inventoryId,
    variantId,
    productId,
    previous: 0,
    quantity: 50,
    new: 50,
    reason: 'delivery from supplier',
    userId: adminId,
    available: 50,
    lowStockThreshold: 5,
    stockStatus: 'in_stock',
    restockedAt: at,
  }),
  sample(c.inventoryReserved, { orderId, lines: [{ variantId, productId, quantity: 2 }], reservedAt: at }),
  sample(c.inventoryReleased, {
    orderId,
    lines: [{ variantId, productId, quantity: 2 }],
    reason: 'order cancelled',
    releasedAt: at,
  }),
  sample(c.inventoryDeducted, { orderId, lines: [{ variantId, productId, quantity: 2 }], deductedAt: at }),
  sample(c.inventoryLowStock, {
    inventoryId,
    variantId,
    productId,
    productName: 'Organic T-Shirt',
    sku: 'TSHIRT-BLK-M',
    currentStock: 3,
    threshold: 5,
    triggeredAt: at,
  }),
  sample(c.inventoryOutOfStock, { inventoryId, variantId, productId, productName: 'Organic T-Shirt', sku: 'TSHIRT-BLK-M', triggeredAt: at }),
  sample(c.inventoryStockChanged, {
    inventoryId,
    variantId,
    productId,
    onHand: 10,
    reserved: 2,
    available: 8,
    lowStockThreshold: 5,
    stockStatus: 'in_stock',
    stockVersion: 3,
    changedAt: at,
  }),

  sample(c.orderPlaced, {
    orderId,
    orderNumber: 'ORD-20251229-0001',
    customerId,
    email: 'ada@example.com',
    lineItems: [lineItem],
    subtotal: eur(3998),
    shippingCost: eur(495),
    tax: eur(760),
    totalAmount: eur(5253),
    shippingAddress,
    placedAt: at,
  }),
  sample(c.orderConfirmed, {
    orderId,
    orderNumber: 'ORD-20251229-0001',
    customerId,
    confirmedBy: null,
    confirmedAt: at,
  }),
  sample(c.orderShipped, {
    orderId,
    orderNumber: 'ORD-20251229-0001',
    customerId,
    trackingNumber: '1Z999AA10123456784',
    carrier: 'DHL',
    shippedAt: at,
  }),
  sample(c.orderDelivered, { orderId, orderNumber: 'ORD-20251229-0001', customerId, deliveredAt: at }),
  sample(c.orderCancelled, {
    orderId,
    orderNumber: 'ORD-20251229-0001',
    customerId,
    reason: 'changed my mind',
    lineItems: [lineItem],
    refundAmount: eur(5253),
    cancelledBy: customerId,
    cancelledAt: at,
  }),
  sample(c.orderCarrierUpdateUnmatched, { trackingNumber: '1Z999AA10123456799', carrierStatus: 'delivered', receivedAt: at }),

  sample(c.paymentAuthorized, {
    paymentId,
    orderId,
    customerId,
    amount: eur(5253),
    authorizationId: 'auth_8f3k2',
    paymentMethod: 'card',
    authorizedAt: at,
  }),
  sample(c.paymentCaptured, {
    paymentId,
    orderId,
    customerId,
    amount: eur(5253),
    authorizationId: 'auth_8f3k2',
    paymentMethod: 'card',
    capturedAt: at,
  }),
  sample(c.paymentFailed, {
    paymentId,
    orderId,
    customerId,
    amount: eur(5253),
    authorizationId: 'auth_8f3k2',
    paymentMethod: 'paypal',
    reason: 'capture declined',
    failedAt: at,
  }),
  sample(c.paymentRefunded, {
    paymentId,
    orderId,
    customerId,
    amount: eur(5253),
    authorizationId: 'auth_8f3k2',
    paymentMethod: 'card',
    refundId: 're_91kd',
    refundedAt: at,
  }),
  sample(c.paymentVoided, {
    paymentId,
    orderId,
    customerId,
    amount: eur(5253),
    authorizationId: 'auth_8f3k2',
    paymentMethod: 'card',
    voidedAt: at,
  }),

  sample(c.paymentRefundFailed, {
    paymentId,
    orderId,
    customerId,
    amount: eur(5253),
    authorizationId: 'auth_8f3k2',
    paymentMethod: 'card',
    reason: 'gateway unavailable',
    failedAt: at,
  }),

  sample(c.notificationSent, {
    notificationId: id(),
    eventId: id(),
    template: 'order-confirmation',
    to: 'ada@example.com',
    attempts: 1,
    sentAt: at,
  }),
  sample(c.notificationFailed, {
    notificationId: id(),
    eventId: id(),
    template: 'order-confirmation',
    to: 'ada@example.com',
    attempts: 4,
    error: 'SMTP 554 rejected',
    failedAt: at,
  }),
];

function keysOf(schema: Joi.ObjectSchema): Record<string, Joi.Description> {
  return (schema.describe().keys ?? {}) as Record<string, Joi.Description>;
}

function sampleOf<D>(contract: EventContract<D>): Record<string, unknown> {
  const found = samples.find((s) => s.contract === (contract as EventContract<unknown>));
  if (!found) throw new Error(`no sample for ${contract.type}`);
  return structuredClone(found.data);
}

function errorOf<D>(contract: EventContract<D>, data: unknown): string | undefined {
  return contract.schema.validate(data).error?.message;
}

/** Keys only events published before verification links were sealed carry: read, never written. */
const DEPRECATED_KEYS = ['verificationUrl', 'verificationToken'];

describe('contracts', () => {
  describe('verification links in customer events', () => {
    for (const contract of [c.customerRegistered, c.customerEmailChanged, c.customerVerificationRequested] as EventContract<unknown>[]) {
      it(`when ${contract.type} carries the link in clear (an older event), then it is still valid; with both forms or neither, it is not`, () => {
        const { verificationLinkSealed, ...withoutLink } = sampleOf(contract);
        const inClear = { ...withoutLink, verificationUrl: 'https://shop.example.com/verify?token=abc', verificationToken: 'abc' };
        expect(errorOf(contract, inClear)).to.equal(undefined);
        expect(errorOf(contract, { ...inClear, verificationLinkSealed })).to.be.a('string');
        expect(errorOf(contract, withoutLink)).to.be.a('string');
        expect(errorOf(contract, { ...withoutLink, verificationUrl: inClear.verificationUrl }), 'a link in clear without its token').to.be.a('string');
      });
    }
  });

  for (const { contract, data } of samples) {
    describe(`${contract.type}.v${contract.version}`, () => {
      it('when a realistic sample payload is validated, then it passes', () => {
        expect(errorOf(contract, data)).to.equal(undefined);
      });

      it('when the sample is compared with the schema, then it covers exactly the schema keys (but those only older events carry)', () => {
        const current = Object.keys(keysOf(contract.schema)).filter((key) => !DEPRECATED_KEYS.includes(key));
        expect(Object.keys(data).sort()).to.deep.equal(current.sort());
      });

      it('when any required field is missing, then validation fails', () => {
        const required = Object.entries(keysOf(contract.schema))
          .filter(([, d]) => (d.flags as { presence?: string } | undefined)?.presence === 'required')
          .map(([k]) => k);
        expect(required.length).to.be.greaterThan(0);
        for (const key of required) {
          const broken = { ...data };
          delete broken[key];
          expect(errorOf(contract, broken), `without ${key}`).to.be.a('string');
        }
      });

      it('when any field has the wrong type, then validation fails', () => {
        for (const key of Object.keys(data)) {
          expect(errorOf(contract, { ...data, [key]: true }), `${key}: true`).to.be.a('string');
        }
      });

      it('when the routing key is derived, then it is <type>.v1', () => {
        expect(contract.version).to.equal(1);
        expect(c.routingKeyOf(contract)).to.equal(`${contract.type}.v1`);
      });
    });
  }

  it('when every event type of the EVENTS.md table is looked up, then a v1 contract is found', () => {
    const missing = CATALOG_TYPES.filter((type) => !c.findContract(type, 1));
    expect(missing).to.deep.equal([]);
    for (const type of CATALOG_TYPES) expect(c.findContract(type, 1)?.type).to.equal(type);
  });

  it('when all registered contracts are listed, then each has a sample in this test', () => {
    const withoutSample = c.allContracts().filter((k) => !samples.some((s) => s.contract === k));
    expect(withoutSample.map((k) => k.type)).to.deep.equal([]);
  });

  it('when an unknown version is looked up, then no contract is found', () => {
    expect(c.findContract('order.placed', 2)).to.equal(undefined);
  });

  it('when a producer adds an unknown top-level field, then the payload still validates', () => {
    expect(errorOf(c.orderPlaced, { ...sampleOf(c.orderPlaced), giftWrap: true })).to.equal(undefined);
  });

  it('when a sample event travels in an envelope, then the envelope validates', () => {
    const envelope: EventEnvelope = {
      id: id(),
      type: c.orderPlaced.type,
      version: c.orderPlaced.version,
      occurredAt: at,
      source: 'order',
      correlationId: id(),
      causationId: null,
      aggregate: { type: 'order', id: id(), version: 1 },
      data: sampleOf(c.orderPlaced),
    };
    expect(c.envelopeSchema.validate(envelope).error).to.equal(undefined);
  });

  it('when a logout ends one session, then the invalidation names it; a suspension names none', () => {
    expect(errorOf(c.customerSessionsInvalidated, { customerId: id(), notBefore: at, sessionIds: [id()], reason: 'logout' })).to.equal(undefined);
    expect(errorOf(c.customerSessionsInvalidated, { customerId: id(), notBefore: at, sessionIds: ['not-a-uuid'] })).to.not.equal(undefined);
  });

  it('when every subscription is listed, then each queue is named <consumer>.<purpose> and binds only registered contracts', () => {
    for (const subscription of c.allSubscriptions()) {
      expect(subscription.queue).to.match(/^[a-z]+\.[a-z-]+$/);
      for (const contract of subscription.events) expect(c.findContract(contract.type, contract.version), contract.type).to.equal(contract);
    }
    expect(c.hasSubscribers(c.customerRegistered)).to.equal(true);
    expect(c.hasSubscribers(c.categoryCreated)).to.equal(false);
  });

  it('when a cart belongs to a guest, then a null customerId is accepted', () => {
    const data = { ...sampleOf(c.cartItemAdded), customerId: null };
    expect(errorOf(c.cartItemAdded, data)).to.equal(undefined);
  });

  it('when a cart item quantity is zero, then validation fails', () => {
    const data = { ...sampleOf(c.cartItemAdded), quantity: 0 };
    expect(errorOf(c.cartItemAdded, data)).to.match(/quantity/);
  });

  it('when a money amount is not an integer in minor units, then validation fails', () => {
    const data = { ...sampleOf(c.orderPlaced), totalAmount: { amount: 52.53, currency: 'EUR' } };
    expect(errorOf(c.orderPlaced, data)).to.match(/totalAmount\.amount/);
  });

  it('when an order has no line items, then validation fails', () => {
    const data = { ...sampleOf(c.orderPlaced), lineItems: [] };
    expect(errorOf(c.orderPlaced, data)).to.match(/lineItems/);
  });

  it('when a product has an unknown status or negative initial stock, then validation fails', () => {
    const contract = c.productCreated;
    expect(errorOf(contract, { ...sampleOf(contract), status: 'archived' })).to.match(/status/);
    expect(errorOf(contract, { ...sampleOf(contract), initialStock: -1 })).to.match(/initialStock/);
  });

  it('when a product update changes only the price, then validation passes', () => {
    const contract = c.productUpdated;
    expect(errorOf(contract, { ...sampleOf(contract), changedFields: { price: eur(1499) } })).to.equal(undefined);
  });

  it('when a category is a root or deeper than three levels, then depth and parent are checked', () => {
    const contract = c.categoryCreated;
    expect(errorOf(contract, { ...sampleOf(contract), parentCategoryId: null, depth: 1 })).to.equal(undefined);
    expect(errorOf(contract, { ...sampleOf(contract), depth: 4 })).to.match(/depth/);
  });

  it('when a stock status is not one of in_stock, low_stock, out_of_stock, then validation fails', () => {
    const contract = c.inventoryStockChanged;
    expect(errorOf(contract, { ...sampleOf(contract), stockStatus: 'backorder' })).to.match(/stockStatus/);
  });

  it('when a stock alert was sent before alerts named the SKU, then it still validates', () => {
    for (const contract of [c.inventoryLowStock, c.inventoryOutOfStock] as EventContract<unknown>[]) {
      const data = sampleOf(contract);
      delete data.sku;
      expect(errorOf(contract, data), contract.type).to.equal(undefined);
    }
  });

  it('when a reservation has no lines, then validation fails', () => {
    const contract = c.inventoryReserved;
    expect(errorOf(contract, { ...sampleOf(contract), lines: [] })).to.match(/lines/);
  });

  it('when an authorization failed before an authorization id existed, then payment.failed still validates', () => {
    const contract = c.paymentFailed;
    const data = sampleOf(contract);
    delete data.authorizationId;
    delete data.customerId;
    expect(errorOf(contract, data)).to.equal(undefined);
  });

  it('when a payment method is unsupported, then validation fails', () => {
    const contract = c.paymentAuthorized;
    expect(errorOf(contract, { ...sampleOf(contract), paymentMethod: 'bitcoin' })).to.match(/paymentMethod/);
  });

  it('when a notification recipient is not an email address, then validation fails', () => {
    const contract = c.notificationSent;
    expect(errorOf(contract, { ...sampleOf(contract), to: 'not-an-email' })).to.match(/to/);
  });
});
