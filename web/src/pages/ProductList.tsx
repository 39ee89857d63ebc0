import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { ErrorMessage, Loading, StockBadge } from '../components/ui';
import { money } from '../format';
import { useShop } from '../shop';

const PAGE_SIZE = 12;
const SORTS = [
  ['', 'Newest'],
  ['price', 'Price: low to high'],
  ['-price', 'Price: high to low'],
  ['name', 'Name'],
] as const;

/** Whole currency units in the URL and the form, minor units in the API. */
const toMinor = (value: string | null) => (value && Number.isFinite(Number(value)) ? Math.round(Number(value) * 100) : undefined);

/** Products by search, category, price range and sort; everything in the URL, so a shared link shows the same page. */
export function ProductList() {
  const { api } = useShop();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const query = {
    q: params.get('q') || undefined,
    categoryId: params.get('category') || undefined,
    minPrice: toMinor(params.get('min')),
    maxPrice: toMinor(params.get('max')),
    sort: (params.get('sort') || undefined) as 'price' | '-price' | 'name' | '-createdAt' | undefined,
    page,
    pageSize: PAGE_SIZE,
  };
  const products = useQuery({ queryKey: ['products', query], queryFn: () => unwrap(api.GET('/products', { params: { query } })), placeholderData: keepPreviousData });
  const [min, setMin] = useState(params.get('min') ?? '');
  const [max, setMax] = useState(params.get('max') ?? '');

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const applyPrice = (event: FormEvent) => {
    event.preventDefault();
    update({ min, max });
  };
  const pages = products.data ? Math.max(1, Math.ceil(products.data.total / PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby="products-title">
      <h1 id="products-title">{query.q ? `Results for “${query.q}”` : 'Products'}</h1>
      <div className="filters">
        <label>
          Sort by{' '}
          <select value={params.get('sort') ?? ''} onChange={(e) => update({ sort: e.target.value })}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={applyPrice} className="price-range">
          <label>
            Min price <input type="number" min="0" step="0.01" inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} />
          </label>
          <label>
            Max price <input type="number" min="0" step="0.01" inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} />
          </label>
          <button type="submit">Apply</button>
        </form>
      </div>
      {products.isPending && <Loading what="products" />}
      <ErrorMessage error={products.error} />
      {products.data && products.data.items.length === 0 && <p>No products match. Try another search or fewer filters.</p>}
      {products.data && products.data.items.length > 0 && (
        <>
          <p className="count">{products.data.total} products</p>
          <ul className="product-grid">
            {products.data.items.map((product) => (
              <li key={product.id} className="card">
                <Link to={`/products/${product.id}`}>{product.name}</Link>
                <span className="price">{money(product.price)}</span>
                <StockBadge status={product.stockStatus} />
              </li>
            ))}
          </ul>
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
              Previous page
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
