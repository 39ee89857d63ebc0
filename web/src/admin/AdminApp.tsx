import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, Route, Routes, useParams, useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { fieldErrors } from '../api/errors';
import type { Customer } from '../api/session';
import { useFocusOnNavigation } from '../components/focus';
import { ErrorMessage, Field, Loading, RetryBanner } from '../components/ui';
import { dateTime, money } from '../format';
import { useSession, useShop } from '../shop';
import { Categories } from './Categories';
import { Customers, ParkedMails } from './Customers';
import { NewProduct, ProductDetail, ProductList } from './Products';

const STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;

/** Staff sign in here; a customer's account is told it may not. */
function StaffSignIn() {
  const { api, session } = useShop();
  const { ended } = useSession();
  const [form, setForm] = useState({ email: '', password: '' });
  const [refused, setRefused] = useState(false);
  const login = useMutation({
    mutationFn: () => unwrap(api.POST('/auth/login', { body: form })),
    onSuccess: (answer) => {
      if (answer.customer.role === 'customer') {
        setRefused(true);
        void api.POST('/auth/logout', { headers: { authorization: `Bearer ${answer.accessToken}` } });
        return;
      }
      setRefused(false);
      session.signedIn(answer, answer.customer as Customer);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  return (
    <main id="main" className="narrow admin-signin">
      <h1>Shop admin</h1>
      {ended && <p role="alert">Your session has ended. Please sign in again.</p>}
      <form onSubmit={submit}>
        <Field label="Email" type="email" autoComplete="username" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <Field label="Password" type="password" autoComplete="current-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        {refused && (
          <p role="alert" className="error">
            This account is a customer account: it is not allowed in the admin.
          </p>
        )}
        <ErrorMessage error={login.error} />
        <button type="submit" disabled={login.isPending}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function OrderList() {
  const { api } = useShop();
  const [params, setParams] = useSearchParams();
  const query = {
    status: (params.get('status') || undefined) as (typeof STATUSES)[number] | undefined,
    q: params.get('q') || undefined,
    customerId: params.get('customerId') || undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: 20,
  };
  const orders = useQuery({ queryKey: ['admin-orders', query], queryFn: () => unwrap(api.GET('/admin/orders', { params: { query } })) });
  const [q, setQ] = useState(query.q ?? '');
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next);
  };
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Orders</h1>
      <div className="filters">
        <label>
          Status{' '}
          <select aria-label="Status" value={query.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            set('q', q.trim());
          }}
        >
          <label>
            Order number <input value={q} onChange={(e) => setQ(e.target.value)} />
          </label>{' '}
          <button type="submit">Filter</button>
        </form>
        <label>
          Customer id <input value={query.customerId ?? ''} onChange={(e) => set('customerId', e.target.value.trim())} />
        </label>
        <label>
          From <input type="date" value={query.from?.slice(0, 10) ?? ''} onChange={(e) => set('from', e.target.value ? new Date(e.target.value).toISOString() : '')} />
        </label>
        <label>
          To <input type="date" value={query.to?.slice(0, 10) ?? ''} onChange={(e) => set('to', e.target.value ? new Date(e.target.value).toISOString() : '')} />
        </label>
      </div>
      {orders.isPending && <Loading what="orders" />}
      <ErrorMessage error={orders.error} />
      {orders.data?.items.length === 0 && <p>No orders match.</p>}
      {orders.data && orders.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.items.map((o) => (
              <tr key={o.orderId}>
                <td>
                  <Link to={`/admin/orders/${o.orderId}`}>{o.orderNumber}</Link>
                </td>
                <td>{dateTime(o.createdAt)}</td>
                <td>{o.status}</td>
                <td>{money(o.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AdminOrder() {
  const { id = '' } = useParams();
  const { api } = useShop();
  const client = useQueryClient();
  const order = useQuery({ queryKey: ['admin-order', id], queryFn: () => unwrap(api.GET('/admin/orders/{id}', { params: { path: { id } } })) });
  const [shipment, setShipment] = useState({ carrier: '', trackingNumber: '' });
  const [reason, setReason] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['admin-order', id] });
  const confirm = useMutation({ mutationFn: () => unwrap(api.POST('/admin/orders/{id}/confirm', { params: { path: { id } } })), onSuccess: refresh });
  const ship = useMutation({ mutationFn: () => unwrap(api.POST('/admin/orders/{id}/ship', { params: { path: { id } }, body: shipment })), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => unwrap(api.POST('/admin/orders/{id}/cancel', { params: { path: { id } }, body: { reason } })), onSuccess: refresh });
  if (order.isPending) return <Loading what="the order" />;
  if (order.error) return <ErrorMessage error={order.error} />;
  const o = order.data;
  const shipErrors = fieldErrors(ship.error);
  return (
    <article aria-labelledby="order-title">
      <p>
        <Link to="/admin">All orders</Link>
      </p>
      <h1 id="order-title">Order {o.orderNumber}</h1>
      <p>
        Status: <strong className="status">{o.status}</strong> · {money(o.total)} · payment {o.payment.status.replace(/_/g, ' ')}
      </p>
      {o.shipment && (
        <p>
          Shipped with {o.shipment.carrier}, tracking number {o.shipment.trackingNumber}
        </p>
      )}
      <ul>
        {o.lineItems.map((l) => (
          <li key={l.variantId}>
            {l.quantity} × {l.productName} ({l.sku})
          </li>
        ))}
      </ul>
      {o.status === 'PENDING' && (
        <button type="button" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
          Confirm
        </button>
      )}
      <ErrorMessage error={confirm.error} />
      {o.status === 'CONFIRMED' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            ship.mutate();
          }}
        >
          <Field label="Carrier" value={shipment.carrier} onChange={(e) => setShipment({ ...shipment, carrier: e.target.value })} error={shipErrors.carrier} />
          <Field label="Tracking number" value={shipment.trackingNumber} onChange={(e) => setShipment({ ...shipment, trackingNumber: e.target.value })} error={shipErrors.trackingNumber} />
          {ship.error && Object.keys(shipErrors).length === 0 && <ErrorMessage error={ship.error} />}
          <button type="submit" disabled={ship.isPending}>
            Ship
          </button>
        </form>
      )}
      {(o.status === 'PENDING' || o.status === 'CONFIRMED') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutate();
          }}
        >
          <Field label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={fieldErrors(cancel.error).reason} />
          <button type="submit" className="danger" disabled={cancel.isPending}>
            Cancel order
          </button>
          <ErrorMessage error={cancel.error} />
        </form>
      )}
      <h2>Status history</h2>
      <ol>
        {(o.statusHistory ?? []).map((h, i) => (
          <li key={i}>
            {dateTime(h.at)}: {h.from ?? 'new'} → {h.to} by {h.by}
            {h.reason ? ` (${h.reason})` : ''}
          </li>
        ))}
      </ol>
    </article>
  );
}

/** The admin's page region; a route change moves the focus to the new page's heading. */
function AdminMain({ children }: { children: ReactNode }) {
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);
  return (
    <main id="main" className="admin" tabIndex={-1} ref={main}>
      {children}
    </main>
  );
}

/** The admin: staff sign-in, then orders (filters, status history, confirm, ship, cancel), products and their stock, categories, customers, e-mails for review. */
export function AdminApp({ unavailable, onRetry }: { unavailable: boolean; onRetry: () => void }) {
  const { api, session } = useShop();
  const { customer } = useSession();
  if (!customer) return <StaffSignIn />;
  return (
    <>
      <header className="top">
        <Link to="/admin" className="brand">
          Shop admin
        </Link>
        <nav aria-label="Admin" className="account-nav">
          <Link to="/admin">Orders</Link>
          <Link to="/admin/products">Products</Link>
          <Link to="/admin/categories">Categories</Link>
          <Link to="/admin/customers">Customers</Link>
          <Link to="/admin/mails">E-mails</Link>
          <span>{customer.email}</span>
          <button
            type="button"
            onClick={() => {
              void api.POST('/auth/logout').finally(() => session.clear());
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      {unavailable && <RetryBanner onRetry={onRetry} />}
      <AdminMain>
        <Routes>
          <Route index element={<OrderList />} />
          <Route path="orders/:id" element={<AdminOrder />} />
          <Route path="products" element={<ProductList />} />
          <Route path="products/new" element={<NewProduct />} />
          <Route path="products/:id" element={<ProductDetail />} />
          <Route path="categories" element={<Categories />} />
          <Route path="customers" element={<Customers />} />
          <Route path="mails" element={<ParkedMails />} />
        </Routes>
      </AdminMain>
    </>
  );
}
