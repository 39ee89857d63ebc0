import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { unwrap } from '../api/client';
import { useAddToCart } from '../cart';
import { ErrorMessage, Loading, StockBadge } from '../components/ui';
import { money, STOCK_LABELS } from '../format';
import { useShop } from '../shop';

/** One product: its variants with their own price and stock, a quantity, Add to cart. */
export function ProductPage() {
  const { id = '' } = useParams();
  const { api } = useShop();
  const product = useQuery({ queryKey: ['product', id], queryFn: () => unwrap(api.GET('/products/{id}', { params: { path: { id } } })) });
  const [variantId, setVariantId] = useState<string>();
  const [quantity, setQuantity] = useState(1);
  const add = useAddToCart();

  if (product.isPending) return <Loading what="the product" />;
  if (product.error) return <ErrorMessage error={product.error} />;
  const p = product.data;
  const variant = p.variants.find((v) => v.id === variantId) ?? (p.variants.length === 1 ? p.variants[0] : p.variants.find((v) => v.stockStatus !== 'out_of_stock'));
  const soldOut = !variant || variant.stockStatus === 'out_of_stock';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!variant) return;
    add.mutate({ productId: p.id, variantId: variant.id, quantity });
  };

  return (
    <article className="product">
      <h1>{p.name}</h1>
      <p className="price">{money(variant?.price ?? p.price)}</p>
      <p>{p.description}</p>
      <form onSubmit={submit}>
        {p.variants.length > 1 && (
          <fieldset>
            <legend>Variant</legend>
            {p.variants.map((v) => (
              <label key={v.id} className="variant">
                <input type="radio" name="variant" value={v.id} checked={variant?.id === v.id} onChange={() => setVariantId(v.id)} />
                {v.name} · {money(v.price)} · {STOCK_LABELS[v.stockStatus]}
              </label>
            ))}
          </fieldset>
        )}
        {variant && <StockBadge status={variant.stockStatus} />}
        <div className="field">
          <label htmlFor="quantity">Quantity</label>
          <input id="quantity" type="number" min={1} max={99} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} />
        </div>
        <button type="submit" disabled={soldOut || add.isPending}>
          Add to cart
        </button>
      </form>
      <ErrorMessage error={add.error} />
      {add.isSuccess && (
        <p role="status">
          Added to your cart. <Link to="/cart">View cart</Link>
        </p>
      )}
    </article>
  );
}
