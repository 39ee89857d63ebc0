import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CartPage, UNDO_WINDOW_MS } from '../src/pages/CartPage';
import { fakeShop, json } from './fake-shop';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const line = (itemId: string, productName: string, available = true) => ({
  itemId,
  productId: `p-${itemId}`,
  variantId: `v-${itemId}`,
  productName,
  variantName: 'Default',
  sku: `SKU-${itemId}`,
  quantity: 1,
  unitPrice: USD(1000),
  subtotal: USD(1000),
  available,
});

/** A cart service in memory: removal keeps the line for its restore. */
function cartServer(lines: ReturnType<typeof line>[]) {
  let items = [...lines];
  const removed = new Map<string, ReturnType<typeof line>>();
  const cart = () => json(200, { cartId: 'cart-1', items, itemCount: items.length, total: USD(items.length * 1000), updatedAt: '2026-01-01T00:00:00Z' });
  return (request: Request) => {
    const path = new URL(request.url).pathname;
    const item = path.match(/\/cart\/items\/([^/]+)/)?.[1];
    if (request.method === 'DELETE' && item) {
      removed.set(item, items.find((l) => l.itemId === item)!);
      items = items.filter((l) => l.itemId !== item);
    }
    if (request.method === 'POST' && item && path.endsWith('/restore')) items = [...items, removed.get(item)!];
    return cart();
  };
}

afterEach(cleanup);

describe('cart: remove with Undo', () => {
  it('when a line is removed, then Undo restores it, and the line no longer available is flagged', async () => {
    const fake = fakeShop(cartServer([line('a', 'Coffee mug'), line('b', 'Old teapot', false)]));
    fake.session.setGuestCartToken('guest');
    render(fake.wrap(<CartPage />));

    expect(await screen.findByText('Coffee mug')).toBeTruthy();
    expect(screen.getByText(/No longer available/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Coffee mug' }));
    expect(await screen.findByText(/Removed Coffee mug/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove Coffee mug' })).toBeNull());

    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));

    expect(await screen.findByRole('button', { name: 'Remove Coffee mug' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull());
    expect(fake.requests.some((r) => r.method === 'POST' && r.url.endsWith('/cart/items/a/restore'))).toBe(true);
  });

  it('when the undo window of 10 minutes has passed, then Undo is no longer offered', async () => {
    let clock = 0;
    const fake = fakeShop(cartServer([line('a', 'Coffee mug')]));
    fake.session.setGuestCartToken('guest');
    const view = render(fake.wrap(<CartPage now={() => clock} />));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Coffee mug' }));
    expect(await screen.findByRole('button', { name: 'Undo' })).toBeTruthy();

    clock += UNDO_WINDOW_MS;
    view.rerender(fake.wrap(<CartPage now={() => clock} />));

    expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
  });
});
