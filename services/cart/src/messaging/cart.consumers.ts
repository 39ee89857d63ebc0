import {
  customerDataErased,
  customerLoggedIn,
  customerRegistered,
  inventoryStockChanged,
  productActivated,
  productCreated,
  productDeactivated,
  productDeleted,
  productUpdated,
  subscriptions,
} from '@shop/contracts';
import { on, startConsumer, type Backbone, type Consumer } from '@shop/messaging';
import { applyProductSnapshot } from '../app/apply-product-snapshot.use-case.js';
import { applyProductStatus } from '../app/apply-product-status.use-case.js';
import { applyProductUpdate } from '../app/apply-product-update.use-case.js';
import { applyStockLevel } from '../app/apply-stock-level.use-case.js';
import type { CartDeps } from '../app/deps.js';
import { ensureCustomerCart } from '../app/ensure-customer-cart.use-case.js';
import { forgetCustomerCart } from '../app/forget-customer-cart.use-case.js';
import { mergeGuestCart } from '../app/merge-guest-cart.use-case.js';
import { removeDeletedProduct } from '../app/remove-deleted-product.use-case.js';
import type { CartDatabase } from '../db/schema.js';

type Options = Pick<Backbone<CartDatabase>, 'broker' | 'db' | 'retry' | 'handlerTimeoutMs' | 'relay'>;

const common = (deps: CartDeps, backbone: Options) => ({
  broker: backbone.broker,
  db: backbone.db,
  logger: deps.logger,
  retry: backbone.retry,
  handlerTimeoutMs: backbone.handlerTimeoutMs,
  afterCommit: backbone.relay.wake,
});

/**
 * `cart.catalog-updates`: the product read model (names, prices, variants, status), and a deleted
 * product's lines leaving every cart. Each event's product version orders them; an older one is skipped.
 */
export function startCatalogConsumer(deps: CartDeps, backbone: Options): Consumer {
  return startConsumer<CartDatabase>({
    ...common(deps, backbone),
    subscription: subscriptions.cartCatalogUpdates,
    handlers: [
      on(productCreated, (event, tx) =>
        applyProductSnapshot(tx, { productId: event.data.productId, name: event.data.name, status: event.data.status, deleted: false, variants: event.data.variants, version: event.aggregate.version }),
      ),
      on(productUpdated, (event, tx) => applyProductUpdate(tx, event.data, event.aggregate.version)),
      on(productActivated, (event, tx) => applyProductStatus(tx, event.data.productId, 'active', event.aggregate.version)),
      on(productDeactivated, (event, tx) => applyProductStatus(tx, event.data.productId, 'inactive', event.aggregate.version)),
      on(productDeleted, (event, tx) => removeDeletedProduct(deps, tx, event.data.productId, event.aggregate.version)),
    ],
  });
}

/** `cart.stock-levels`: each variant's stock status, so a sold-out line shows as not available. */
export function startStockConsumer(deps: CartDeps, backbone: Options): Consumer {
  return startConsumer<CartDatabase>({
    ...common(deps, backbone),
    subscription: subscriptions.cartStockLevels,
    handlers: [on(inventoryStockChanged, (event, tx) => applyStockLevel(tx, event.data))],
  });
}

/**
 * `cart.customer-events`: a new customer's cart, the guest cart a login names merged into the
 * customer's (the merge runs in its own transaction; a guest cart merged already is no error), and
 * an erased customer's cart deleted.
 */
export function startCustomerConsumer(deps: CartDeps, backbone: Options): Consumer {
  return startConsumer<CartDatabase>({
    ...common(deps, backbone),
    subscription: subscriptions.cartCustomerEvents,
    handlers: [
      on(customerRegistered, (event, tx) => ensureCustomerCart(tx, event.data.customerId)),
      on(customerLoggedIn, async (event) => {
        const merged = await mergeGuestCart(deps, event.data.customerId, event.data.guestCartId);
        if (!merged) deps.logger.info('guest cart named at login not found (merged already or gone)', { guestCartId: event.data.guestCartId });
      }),
      on(customerDataErased, (event, tx) => forgetCustomerCart(deps, tx, event.data.customerId)),
    ],
  });
}
