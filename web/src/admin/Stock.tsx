import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap } from '../api/client';
import { ApiError } from '../api/errors';
import { ErrorMessage, Field, Loading, StockBadge } from '../components/ui';
import { dateTime } from '../format';
import { useShop } from '../shop';

const ACTIONS = {
  initialized: 'Opened',
  quantity_set: 'Set',
  adjusted: 'Adjusted',
  restocked: 'Restocked',
  threshold_set: 'Threshold set',
  reserved: 'Reserved for a checkout',
  released: 'Released',
  deducted: 'Shipped',
} as const;

/** How many seconds the panel waits for a new variant's stock to be opened. */
const OPENING_TRIES = 30;

const notOpenedYet = (error: unknown) => error instanceof ApiError && error.status === 404;
/** Still waiting for the stock to be opened: a loading state, not an error. */
const opening = (query: { error: unknown; errorUpdateCount: number }) => notOpenedYet(query.error) && query.errorUpdateCount < OPENING_TRIES;

/** A variant's stock: set, adjust, restock, its low-stock threshold, and who changed what when. */
export function StockPanel({ variant }: { variant: { id: string; sku: string; name: string } }) {
  const { api } = useShop();
  const client = useQueryClient();
  const path = { params: { path: { variantId: variant.id } } };
  // A variant just created has its stock opened by the inventory a moment later, when it hears
  // product.created: until then it answers 404, so the panel asks again every second for a while.
  const stock = useQuery({
    queryKey: ['stock', variant.id],
    queryFn: () => unwrap(api.GET('/admin/inventory/{variantId}', path)),
    refetchInterval: (query) => (opening(query.state) ? 1_000 : false),
  });
  const audit = useQuery({
    queryKey: ['stock-audit', variant.id],
    queryFn: () => unwrap(api.GET('/admin/inventory/{variantId}/audit', path)),
    refetchInterval: (query) => (opening(query.state) ? 1_000 : false),
  });
  const [form, setForm] = useState({ quantity: '', reason: '', threshold: '' });
  const done = () => {
    setForm({ quantity: '', reason: '', threshold: '' });
    void client.invalidateQueries({ queryKey: ['stock', variant.id] });
    void client.invalidateQueries({ queryKey: ['stock-audit', variant.id] });
  };
  const quantity = Number(form.quantity);
  const reason = form.reason || 'changed in the admin';
  const setTo = useMutation({ mutationFn: () => unwrap(api.PUT('/admin/inventory/{variantId}', { ...path, body: { quantity, reason } })), onSuccess: done });
  const adjust = useMutation({ mutationFn: () => unwrap(api.POST('/admin/inventory/{variantId}/adjustments', { ...path, body: { adjustment: quantity, reason } })), onSuccess: done });
  const restock = useMutation({ mutationFn: () => unwrap(api.POST('/admin/inventory/{variantId}/restock', { ...path, body: { quantity, reason } })), onSuccess: done });
  const threshold = useMutation({
    mutationFn: () => unwrap(api.PUT('/admin/inventory/{variantId}/threshold', { ...path, body: { lowStockThreshold: Number(form.threshold) } })),
    onSuccess: done,
  });
  const error = setTo.error ?? adjust.error ?? restock.error ?? threshold.error;
  const prevent = (action: () => void) => (event: FormEvent) => {
    event.preventDefault();
    action();
  };
  return (
    <section aria-label={`Stock of ${variant.name} (${variant.sku})`} className="card">
      <h3>
        {variant.name} <small>{variant.sku}</small>
      </h3>
      {(stock.isPending || opening(stock)) && <Loading what="the stock" />}
      {stock.data && (
        <p>
          On hand {stock.data.onHand} · reserved {stock.data.reserved} · available {stock.data.available} · low below {stock.data.lowStockThreshold}{' '}
          <StockBadge status={stock.data.stockStatus} />
        </p>
      )}
      <form onSubmit={prevent(() => restock.mutate())} className="card-fields">
        <Field label={`Quantity for ${variant.sku}`} type="number" value={form.quantity} onChange={(e) => setForm({ ...form, quantity: e.target.value })} />
        <Field label={`Reason for ${variant.sku}`} value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
        <div>
          <button type="submit">Restock</button> <button type="button" onClick={() => adjust.mutate()}>Adjust by</button>{' '}
          <button type="button" onClick={() => setTo.mutate()}>Set to</button>
        </div>
      </form>
      <form onSubmit={prevent(() => threshold.mutate())} className="card-fields">
        <Field label={`Low-stock threshold for ${variant.sku}`} type="number" min="0" value={form.threshold} onChange={(e) => setForm({ ...form, threshold: e.target.value })} />
        <div>
          <button type="submit">Set threshold</button>
        </div>
      </form>
      <ErrorMessage error={error ?? (opening(stock) ? null : stock.error) ?? (opening(audit) ? null : audit.error)} />
      <details>
        <summary>Audit trail</summary>
        {audit.data?.items.length === 0 && <p>No changes yet.</p>}
        <ul>
          {audit.data?.items.map((entry, i) => (
            <li key={i}>
              {dateTime(entry.at)}: {ACTIONS[entry.action]} {entry.previous} → {entry.new}
              {entry.reason ? ` (${entry.reason})` : ''}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
