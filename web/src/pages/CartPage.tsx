import { useState } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api/client';
import { useCart, useCartWrite, type Cart } from '../cart';
import { ErrorMessage, Loading } from '../components/ui';
import { money } from '../format';
import { useShop } from '../shop';

/** How long a removed line can be restored (the cart service's undo window). */
export const UNDO_WINDOW_MS = 10 * 60_000;

type Line = Cart['items'][number];

function CartLine({ line, onRemoved }: { line: Line; onRemoved: (line: Line) => void }) {
  const { api } = useShop();
  const [quantity, setQuantity] = useState(String(line.quantity));
  const change = useCartWrite((q: number) => unwrap(api.PATCH('/cart/items/{itemId}', { params: { path: { itemId: line.itemId } }, body: { quantity: q } })));
  const remove = useCartWrite(() => unwrap(api.DELETE('/cart/items/{itemId}', { params: { path: { itemId: line.itemId } } })));
  const commit = () => {
    const q = Number(quantity);
    if (Number.isInteger(q) && q >= 1 && q !== line.quantity) change.mutate(q, { onError: () => setQuantity(String(line.quantity)) });
  };
  return (
    <li className={`cart-line${line.available ? '' : ' unavailable'}`}>
      <div>
        <strong>{line.productName}</strong> {line.variantName !== 'Default' && <span>({line.variantName})</span>}
        {!line.available && <p className="warning">No longer available: remove it to check out.</p>}
      </div>
      <label>
        Quantity{' '}
        <input
          type="number"
          min={1}
          value={quantity}
          aria-label={`Quantity of ${line.productName}`}
          onChange={(e) => setQuantity(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </label>
      <span>{money(line.subtotal)}</span>
      <button type="button" aria-label={`Remove ${line.productName}`} disabled={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => onRemoved(line) })}>
        Remove
      </button>
      <ErrorMessage error={change.error ?? remove.error} />
    </li>
  );
}

/** The cart: quantities, removal with Undo, lines no longer available flagged, the total. */
export function CartPage({ now = Date.now }: { now?: () => number }) {
  const { api } = useShop();
  const cart = useCart();
  const [removed, setRemoved] = useState<Array<{ line: Line; at: number }>>([]);
  const restore = useCartWrite((itemId: string) => unwrap(api.POST('/cart/items/{itemId}/restore', { params: { path: { itemId } } })));
  const undoable = removed.filter((r) => now() - r.at < UNDO_WINDOW_MS);

  const undo = (itemId: string) =>
    restore.mutate(itemId, {
      onSuccess: () => setRemoved((all) => all.filter((r) => r.line.itemId !== itemId)),
    });

  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      {undoable.map(({ line }) => (
        <p key={line.itemId} role="status" className="undo">
          Removed {line.productName}.{' '}
          <button type="button" onClick={() => undo(line.itemId)} disabled={restore.isPending}>
            Undo
          </button>
        </p>
      ))}
      <ErrorMessage error={restore.error ?? cart.error} />
      {cart.isLoading && <Loading what="your cart" />}
      {(!cart.data || cart.data.items.length === 0) && !cart.isLoading && (
        <p>
          Your cart is empty. <Link to="/">Browse products</Link>
        </p>
      )}
      {cart.data && cart.data.items.length > 0 && (
        <>
          <ul className="cart-lines">
            {cart.data.items.map((line) => (
              <CartLine key={line.itemId} line={line} onRemoved={(l) => setRemoved((all) => [...all, { line: l, at: now() }])} />
            ))}
          </ul>
          <p className="total">
            Total <strong>{money(cart.data.total)}</strong> ({cart.data.itemCount} items; shipping and tax at checkout)
          </p>
          {cart.data.items.some((l) => !l.available) ? (
            <p className="warning">Remove the lines no longer available to check out.</p>
          ) : (
            <Link to="/checkout" className="button">
              Checkout
            </Link>
          )}
        </>
      )}
    </section>
  );
}
