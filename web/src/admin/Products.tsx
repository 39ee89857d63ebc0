import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { fieldErrors } from '../api/errors';
import { ErrorMessage, Field, Loading, StockBadge } from '../components/ui';
import { dateTime, money } from '../format';
import { useShop } from '../shop';
import { useCategoryOptions } from './Categories';
import { StockPanel } from './Stock';

const STATUSES = ['draft', 'active', 'inactive', 'deleted'] as const;
const toMinor = (value: string) => Math.round(Number(value) * 100);

/** Products by status, searched by name or SKU on the page shown (the API filters by status). */
export function ProductList() {
  const { api } = useShop();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') || undefined) as (typeof STATUSES)[number] | undefined;
  const q = (params.get('q') ?? '').toLowerCase();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const products = useQuery({
    queryKey: ['admin-products', status, page],
    queryFn: () => unwrap(api.GET('/admin/products', { params: { query: { status, page, pageSize: 100 } } })),
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    setParams(next);
  };
  const shown = products.data?.items.filter((p) => !q || p.name.toLowerCase().includes(q) || p.variants.some((v) => v.sku.toLowerCase().includes(q)));
  return (
    <section aria-labelledby="products-title">
      <h1 id="products-title">Products</h1>
      <p>
        <Link to="/admin/products/new">New product</Link>
      </p>
      <div className="filters">
        <label>
          Search <input type="search" value={params.get('q') ?? ''} onChange={(e) => set('q', e.target.value)} />
        </label>
        <label>
          Status{' '}
          <select value={status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any but deleted</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      {products.isPending && <Loading what="products" />}
      <ErrorMessage error={products.error} />
      {shown?.length === 0 && <p>No products match.</p>}
      {shown && shown.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Price</th>
              <th scope="col">Stock</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/admin/products/${p.id}`}>{p.name}</Link>
                </td>
                <td>{p.status}</td>
                <td>{money(p.price)}</td>
                <td>
                  <StockBadge status={p.stockStatus} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {products.data && products.data.total > page * 100 && (
        <button type="button" onClick={() => set('page', String(page + 1))}>
          Next page
        </button>
      )}
    </section>
  );
}

type VariantDraft = { sku: string; name: string; price: string };

/** A new product: its category, price, variants (each with an optional price of its own) and the initial stock of each. */
export function NewProduct() {
  const { api } = useShop();
  const navigate = useNavigate();
  const categories = useCategoryOptions();
  const [form, setForm] = useState({ name: '', description: '', price: '', categoryId: '', initialStock: '0', active: true });
  const [variants, setVariants] = useState<VariantDraft[]>([]);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/admin/products', {
          body: {
            name: form.name,
            description: form.description,
            price: { amount: toMinor(form.price), currency: 'USD' },
            categoryId: form.categoryId,
            initialStock: Number(form.initialStock) || 0,
            status: form.active ? 'active' : 'draft',
            ...(variants.length > 0 && {
              variants: variants.map((v) => ({ sku: v.sku, name: v.name, ...(v.price && { price: { amount: toMinor(v.price), currency: 'USD' } }) })),
            }),
          },
        }),
      ),
    onSuccess: (product) => navigate(`/admin/products/${product.id}`),
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const setVariant = (index: number, change: Partial<VariantDraft>) => setVariants(variants.map((v, i) => (i === index ? { ...v, ...change } : v)));
  return (
    <section aria-labelledby="new-product-title" className="narrow">
      <h1 id="new-product-title">New product</h1>
      <form onSubmit={submit}>
        <Field label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} required />
        <Field label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} error={errors.description} required />
        <Field label="Price" type="number" min="0" step="0.01" value={form.price} onChange={(e) => setForm({ ...form, price: e.target.value })} error={errors.amount ?? errors.price} required />
        <div className="field">
          <label htmlFor="category">Category</label>
          <select id="category" value={form.categoryId} onChange={(e) => setForm({ ...form, categoryId: e.target.value })} required>
            <option value="">Choose…</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
          {errors.categoryId && <div className="field-error">{errors.categoryId}</div>}
        </div>
        <Field label="Initial stock per variant" type="number" min="0" value={form.initialStock} onChange={(e) => setForm({ ...form, initialStock: e.target.value })} error={errors.initialStock} />
        <label className="variant">
          <input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.target.checked })} /> On sale at once (active)
        </label>
        <fieldset>
          <legend>Variants (none: one default variant)</legend>
          {variants.map((v, i) => (
            <div key={i} className="card-fields">
              <Field label={`SKU of variant ${i + 1}`} value={v.sku} onChange={(e) => setVariant(i, { sku: e.target.value })} required />
              <Field label={`Name of variant ${i + 1}`} value={v.name} onChange={(e) => setVariant(i, { name: e.target.value })} required />
              <Field label={`Price of variant ${i + 1} (optional)`} type="number" min="0" step="0.01" value={v.price} onChange={(e) => setVariant(i, { price: e.target.value })} />
            </div>
          ))}
          <button type="button" onClick={() => setVariants([...variants, { sku: '', name: '', price: '' }])}>
            Add a variant
          </button>
        </fieldset>
        {create.error && Object.keys(errors).length === 0 && <ErrorMessage error={create.error} />}
        <button type="submit" disabled={create.isPending}>
          Create product
        </button>
      </form>
    </section>
  );
}

/** One product: edit, price history, activate, deactivate, delete, and the stock of each variant. */
export function ProductDetail() {
  const { id = '' } = useParams();
  const { api } = useShop();
  const client = useQueryClient();
  const navigate = useNavigate();
  const product = useQuery({ queryKey: ['admin-product', id], queryFn: () => unwrap(api.GET('/admin/products/{id}', { params: { path: { id } } })) });
  const history = useQuery({ queryKey: ['price-audit', id], queryFn: () => unwrap(api.GET('/admin/products/{id}/price-audit', { params: { path: { id } } })) });
  const [edit, setEdit] = useState<{ name: string; description: string; price: string }>();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['admin-product', id] });
    void client.invalidateQueries({ queryKey: ['price-audit', id] });
    void client.invalidateQueries({ queryKey: ['admin-products'] });
  };
  const save = useMutation({
    mutationFn: (body: { name: string; description: string; price: { amount: number; currency: string } }) => unwrap(api.PATCH('/admin/products/{id}', { params: { path: { id } }, body })),
    onSuccess: () => {
      setEdit(undefined);
      refresh();
    },
  });
  const path = { params: { path: { id } } };
  const activate = useMutation({ mutationFn: () => unwrap(api.POST('/admin/products/{id}/activate', path)), onSuccess: refresh });
  const deactivate = useMutation({ mutationFn: () => unwrap(api.POST('/admin/products/{id}/deactivate', path)), onSuccess: refresh });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/admin/products/{id}', path)),
    onSuccess: () => {
      refresh();
      navigate('/admin/products');
    },
  });
  if (product.isPending) return <Loading what="the product" />;
  if (product.error) return <ErrorMessage error={product.error} />;
  const p = product.data;
  const current = edit ?? { name: p.name, description: p.description, price: (p.price.amount / 100).toFixed(2) };
  const errors = fieldErrors(save.error);
  return (
    <article aria-labelledby="product-title">
      <p>
        <Link to="/admin/products">All products</Link>
      </p>
      <h1 id="product-title">{p.name}</h1>
      <p>
        Status: <strong>{p.status}</strong>{' '}
        {p.status !== 'active' && (
          <button type="button" onClick={() => activate.mutate()}>
            Activate
          </button>
        )}{' '}
        {p.status === 'active' && (
          <button type="button" onClick={() => deactivate.mutate()}>
            Deactivate
          </button>
        )}{' '}
        <button type="button" className="danger" onClick={() => window.confirm(`Delete ${p.name}? It leaves every cart; orders keep it.`) && remove.mutate()}>
          Delete
        </button>
      </p>
      <ErrorMessage error={activate.error ?? deactivate.error ?? remove.error} />
      <h2>Edit</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ name: current.name, description: current.description, price: { amount: toMinor(current.price), currency: p.price.currency } });
        }}
        className="narrow"
      >
        <Field label="Name" value={current.name} onChange={(e) => setEdit({ ...current, name: e.target.value })} error={errors.name} />
        <Field label="Description" value={current.description} onChange={(e) => setEdit({ ...current, description: e.target.value })} error={errors.description} />
        <Field label="Price" type="number" min="0" step="0.01" value={current.price} onChange={(e) => setEdit({ ...current, price: e.target.value })} error={errors.amount ?? errors.price} />
        {save.error && Object.keys(errors).length === 0 && <ErrorMessage error={save.error} />}
        <button type="submit" disabled={save.isPending}>
          Save
        </button>
      </form>
      <h2>Price history</h2>
      {history.isPending && <Loading what="the price history" />}
      <ErrorMessage error={history.error} />
      {history.data?.items.length === 0 && <p>The price has not changed.</p>}
      <ul>
        {history.data?.items.map((h, i) => (
          <li key={i}>
            {dateTime(h.changedAt)}: {money(h.oldPrice)} → {money(h.newPrice)}
          </li>
        ))}
      </ul>
      <h2>Stock per variant</h2>
      {p.variants.map((v) => (
        <StockPanel key={v.id} variant={v} />
      ))}
    </article>
  );
}
