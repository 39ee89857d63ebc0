import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { unwrap } from '../api/client';
import { paymentFailureSentence } from '../api/errors';
import { ErrorMessage, Loading } from '../components/ui';
import { dateTime, money } from '../format';
import { useShop } from '../shop';

const STATUS = { PENDING: 'Pending', CONFIRMED: 'Confirmed', SHIPPED: 'SHIPPED', DELIVERED: 'Delivered', CANCELLED: 'Cancelled' } as const;

export function Orders() {
  const { api } = useShop();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const orders = useQuery({ queryKey: ['orders', page], queryFn: () => unwrap(api.GET('/orders', { params: { query: { page, pageSize: 20 } } })) });
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">My orders</h1>
      {orders.isPending && <Loading what="your orders" />}
      <ErrorMessage error={orders.error} />
      {orders.data?.items.length === 0 && <p>You have no orders yet.</p>}
      {orders.data && orders.data.items.length > 0 && (
        <ul className="orders">
          {orders.data.items.map((order) => (
            <li key={order.orderId}>
              <Link to={`/orders/${order.orderId}`}>{order.orderNumber}</Link> · {dateTime(order.createdAt)} · {STATUS[order.status]} · {money(order.total)}
            </li>
          ))}
        </ul>
      )}
      {orders.data && orders.data.total > page * 20 && (
        <button type="button" onClick={() => setParams({ page: String(page + 1) })}>
          Older orders
        </button>
      )}
    </section>
  );
}

/** One order: status, lines, totals, payment, tracking once shipped, Cancel while allowed. */
export function OrderPage() {
  const { id = '' } = useParams();
  const { api } = useShop();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const order = useQuery({
    queryKey: ['order', id],
    queryFn: () => unwrap(api.GET('/orders/{id}', { params: { path: { id } } })),
    // A new order is confirmed by the payment provider within moments: watched for half a minute.
    refetchInterval: (query) => (query.state.data?.status === 'PENDING' && query.state.dataUpdateCount < 30 ? 1_000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/orders/{id}/cancel', { params: { path: { id } }, body: { reason: 'cancelled by the customer' } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['order', id] }),
  });
  if (order.isPending) return <Loading what="the order" />;
  if (order.error) return <ErrorMessage error={order.error} />;
  const o = order.data;
  return (
    <article aria-labelledby="order-title">
      {params.get('placed') && (
        <p role="status" className="success">
          Thank you! Your order number is <strong>{o.orderNumber}</strong>.
        </p>
      )}
      {params.get('paypal') === 'cancelled' && (
        <p role="alert" className="error">
          {o.status === 'CANCELLED'
            ? 'You cancelled the payment at PayPal, so this order is cancelled. Nothing was charged.'
            : 'You cancelled the payment at PayPal, so this order will not be paid. It is being cancelled.'}
        </p>
      )}
      <h1 id="order-title">Order {o.orderNumber}</h1>
      <p>
        Status: <strong className="status">{STATUS[o.status]}</strong> · placed {dateTime(o.createdAt)}
      </p>
      {o.shipment && (
        <p>
          Shipped with {o.shipment.carrier ?? 'the carrier'}, tracking number <strong>{o.shipment.trackingNumber}</strong>
        </p>
      )}
      <table>
        <caption>Items</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Quantity</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {o.lineItems.map((line) => (
            <tr key={line.variantId}>
              <td>
                {line.productName} {line.variantName !== 'Default' && `(${line.variantName})`}
              </td>
              <td>{line.quantity}</td>
              <td>{money(line.subtotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>{money(o.subtotal)}</dd>
        <dt>Shipping</dt>
        <dd>{money(o.shippingCost)}</dd>
        <dt>Tax</dt>
        <dd>{money(o.tax)}</dd>
        <dt>Total</dt>
        <dd>
          <strong>{money(o.total)}</strong>
        </dd>
      </dl>
      <p>
        Payment: {o.payment.method === 'card' ? `${o.payment.brand ?? 'Card'} ending in ${o.payment.last4 ?? '····'}` : 'PayPal'} ({o.payment.status.replace(/_/g, ' ')})
        {o.payment.failureReason && ` · ${paymentFailureSentence(o.payment.failureReason)}`}
      </p>
      <p>
        Ship to {o.shippingAddress.recipientName}, {o.shippingAddress.street}, {o.shippingAddress.city}, {o.shippingAddress.state} {o.shippingAddress.postalCode},{' '}
        {o.shippingAddress.country}
      </p>
      {(o.status === 'PENDING' || o.status === 'CONFIRMED') && (
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          Cancel order
        </button>
      )}
      <ErrorMessage error={cancel.error} />
    </article>
  );
}
