import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Api } from '../src/api/client';
import { messageFor } from '../src/api/errors';
import { usePlaceOrder } from '../src/checkout';
import { fakeShop, json, memoryStorage } from './fake-shop';

const ORDER = { orderId: 'o1', orderNumber: 'ORD-2026-000001', status: 'PENDING', lineItems: [], subtotal: { amount: 0, currency: 'USD' } };

function PlaceOrder({ api, storage }: { api: Api; storage: ReturnType<typeof memoryStorage> }) {
  const placeOrder = usePlaceOrder(api, storage);
  return (
    <div>
      <button type="button" onClick={() => placeOrder.place({ shippingAddressId: 'a1', payment: { method: 'paypal' } })}>
        Place order
      </button>
      {placeOrder.isSuccess && <p>Order {placeOrder.data.orderNumber}</p>}
      {placeOrder.error && <p role="alert">{messageFor(placeOrder.error)}</p>}
    </div>
  );
}

/** An order service that answers each request in turn from `answers` (a thrown error is the network). */
function orderServer(answers: Array<() => Response>) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let next = 0;
  return {
    release,
    handler: async () => {
      const answer = answers[next++] ?? answers[answers.length - 1]!;
      await gate;
      return answer();
    },
  };
}

const keysOf = (requests: Request[]) => requests.filter((r) => r.method === 'POST' && r.url.endsWith('/orders')).map((r) => r.headers.get('idempotency-key'));

afterEach(cleanup);

describe('Place order: one order however often it is pressed', () => {
  it('when Place order is clicked twice quickly, then one request is sent, with an Idempotency-Key', async () => {
    const server = orderServer([() => json(201, ORDER)]);
    const fake = fakeShop(server.handler);
    const storage = memoryStorage();
    render(fake.wrap(<PlaceOrder api={fake.shop.api} storage={storage} />));

    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    server.release();

    expect(await screen.findByText('Order ORD-2026-000001')).toBeTruthy();
    const keys = keysOf(fake.requests);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when the page is reloaded after a request got no answer, then the next Place order sends the same key', async () => {
    const storage = memoryStorage();
    const first = fakeShop(() => Promise.reject(new TypeError('network down')));
    const view = render(first.wrap(<PlaceOrder api={first.shop.api} storage={storage} />));
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    view.unmount();

    const second = fakeShop(() => json(201, ORDER));
    render(second.wrap(<PlaceOrder api={second.shop.api} storage={storage} />));
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));

    expect(await screen.findByText('Order ORD-2026-000001')).toBeTruthy();
    expect(keysOf(second.requests)).toEqual(keysOf(first.requests));
  });

  it('when the card is declined, then the reason is shown and the next attempt is a new order with a new key', async () => {
    const storage = memoryStorage();
    const declined = () => json(402, { error: { code: 'PAYMENT_FAILED', message: 'payment failed', details: { reason: 'card_declined' } } });
    const server = orderServer([declined, () => json(201, ORDER)]);
    const shop = fakeShop(server.handler);
    server.release();
    render(shop.wrap(<PlaceOrder api={shop.shop.api} storage={storage} />));

    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your card was declined. Try another card.');
    fireEvent.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByText('Order ORD-2026-000001')).toBeTruthy();

    const keys = keysOf(shop.requests);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    await waitFor(() => expect(storage.getItem('shop.checkoutKey')).toBeNull());
  });
});
