import { expect } from 'chai';
import type { OrderDeps } from '../../src/app/deps';
import { checkoutSaga, PIVOT, type CheckoutContext } from '../../src/app/checkout-saga';

/** Deps whose service clients only record what they were asked; no step here reaches a database. */
function recordingDeps() {
  const calls: string[] = [];
  const deps = {
    inventory: {
      reserve: async (orderId: string, lines: unknown) => void calls.push(`reserve ${orderId} ${JSON.stringify(lines)}`),
      commit: async (orderId: string) => void calls.push(`commit ${orderId}`),
      release: async (orderId: string, reason: string) => void calls.push(`release ${orderId} ${reason}`),
    },
    payments: {
      authorize: async (request: { orderId: string; amount: unknown }) => {
        calls.push(`authorize ${request.orderId} ${JSON.stringify(request.amount)}`);
        return { paymentId: 'pay-1', method: 'card', status: 'authorized', brand: 'visa', last4: '4242' };
      },
      void: async (orderId: string) => void calls.push(`void ${orderId}`),
    },
    carts: { clearForOrder: async (cartId: string, orderId: string, version: number) => void calls.push(`clear ${cartId} ${orderId} ${version}`) },
  } as unknown as OrderDeps;
  return { deps, calls };
}

const usd = (amount: number) => ({ amount, currency: 'USD' });
const line = (variantId: string, quantity: number) => ({ productId: 'p', variantId, productName: 'Mug', variantName: 'Blue', sku: 'S', quantity, unitPrice: usd(1000), onSale: true });
const context: CheckoutContext = {
  orderId: 'order-1',
  customerId: 'customer-1',
  shipping: { shippingAddressId: 'address-1' },
  cart: { cartId: 'cart-1', version: 7, lines: [line('v1', 1), line('v2', 2), line('v1', 3)] },
  totals: { subtotal: usd(6000), shippingCost: usd(0), tax: usd(480), total: usd(6480) },
};
const card = { method: 'card' as const, cardNumber: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };

describe('checkout saga steps', () => {
  const stepOf = (deps: OrderDeps, name: string, withCard = true) => {
    const step = checkoutSaga(deps, 'owner-1', withCard ? card : undefined).steps.find((s) => s.name === name);
    if (!step) throw new Error(`no step ${name}`);
    return step;
  };

  it('when the steps are listed, then they follow SEQ-ORDER-001 and the pivot is creating the order', () => {
    const saga = checkoutSaga(recordingDeps().deps, 'owner-1', card);
    expect(saga.steps.map((s) => s.name)).to.deep.equal(['validate-customer', 'read-cart', 'price', 'reserve-stock', 'authorize-payment', 'commit-reservation', 'create-order', 'clear-cart']);
    expect(saga.pivot).to.equal(PIVOT);
  });

  it('when stock is reserved, then one line per variant is asked, keyed by the order id', async () => {
    const { deps, calls } = recordingDeps();
    await stepOf(deps, 'reserve-stock').run(context);
    expect(calls).to.deep.equal([`reserve order-1 ${JSON.stringify([{ variantId: 'v1', quantity: 4 }, { variantId: 'v2', quantity: 2 }])}`]);
  });

  it('when the reservation is undone, then the stock of the order is released', async () => {
    const { deps, calls } = recordingDeps();
    await stepOf(deps, 'reserve-stock').compensate!(context);
    expect(calls).to.deep.equal(['release order-1 checkout-failed']);
  });

  it('when the payment is authorized, then for the total, and the payment (brand and last four, no card) joins the context', async () => {
    const { deps, calls } = recordingDeps();
    const produced = await stepOf(deps, 'authorize-payment').run(context);
    expect(calls).to.deep.equal([`authorize order-1 ${JSON.stringify(usd(6480))}`]);
    expect(produced).to.deep.equal({ payment: { paymentId: 'pay-1', method: 'card', status: 'authorized', brand: 'visa', last4: '4242' } });
    expect(JSON.stringify(produced)).not.to.include(card.cardNumber);
  });

  it('when the authorization is undone, then the payment of the order is voided', async () => {
    const { deps, calls } = recordingDeps();
    await stepOf(deps, 'authorize-payment', false).compensate!(context);
    expect(calls).to.deep.equal(['void order-1']);
  });

  it('when recovery has no card, then it can undo an authorization but never make one', async () => {
    const { deps, calls } = recordingDeps();
    let thrown: unknown;
    await stepOf(deps, 'authorize-payment', false)
      .run(context)
      .catch((err) => (thrown = err));
    expect((thrown as Error).message).to.match(/only the request/);
    expect(calls).to.deep.equal([]);
  });

  it('when the reservation is committed or the cart cleared, then there is nothing of theirs to undo (the reservation undo releases a committed hold too)', async () => {
    const { deps, calls } = recordingDeps();
    expect(stepOf(deps, 'commit-reservation').compensate).to.equal(undefined);
    expect(stepOf(deps, 'clear-cart').compensate).to.equal(undefined);
    await stepOf(deps, 'commit-reservation').run(context);
    await stepOf(deps, 'clear-cart').run(context);
    expect(calls).to.deep.equal(['commit order-1', 'clear cart-1 order-1 7']);
  });

  it('when the checks before any change (customer, cart, price) fail, then they have nothing to undo', () => {
    const { deps } = recordingDeps();
    for (const name of ['validate-customer', 'read-cart', 'price', PIVOT]) expect(stepOf(deps, name).compensate, name).to.equal(undefined);
  });
});
