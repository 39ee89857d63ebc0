import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { unwrap } from '../api/client';
import { fieldErrors } from '../api/errors';
import { useCart } from '../cart';
import { usePlaceOrder } from '../checkout';
import { useFocusFirstInvalid } from '../components/focus';
import { ErrorMessage, Field, Loading } from '../components/ui';
import { money } from '../format';
import { useSession, useShop } from '../shop';

const EMPTY_ADDRESS = { recipientName: '', street: '', city: '', state: '', postalCode: '', country: 'US' };

export function useAddresses() {
  const { api } = useShop();
  return useQuery({ queryKey: ['addresses'], queryFn: () => unwrap(api.GET('/customers/me/addresses')) });
}

/**
 * A new address; the shop's message for one it does not ship to is shown at the country, and a
 * refused address takes the focus to the field it is about.
 */
export function AddressForm({ onAdded }: { onAdded: (id: string) => void }) {
  const { api } = useShop();
  const client = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [address, setAddress] = useState(EMPTY_ADDRESS);
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/customers/me/addresses', { body: address })),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: ['addresses'] });
      setAddress(EMPTY_ADDRESS);
      onAdded(created.id);
    },
  });
  useFocusFirstInvalid(form, add.error);
  const errors = fieldErrors(add.error);
  const set = (key: keyof typeof address) => (e: { target: { value: string } }) => setAddress({ ...address, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} className="address-form" aria-label="New address" ref={form}>
      <Field label="Full name" autoComplete="name" value={address.recipientName} onChange={set('recipientName')} error={errors.recipientName} required />
      <Field label="Street" autoComplete="street-address" value={address.street} onChange={set('street')} error={errors.street} required />
      <Field label="City" autoComplete="address-level2" value={address.city} onChange={set('city')} error={errors.city} required />
      <Field label="State" autoComplete="address-level1" value={address.state} onChange={set('state')} error={errors.state} required />
      <Field label="Postal code" autoComplete="postal-code" value={address.postalCode} onChange={set('postalCode')} error={errors.postalCode} required />
      <Field label="Country code" autoComplete="country" maxLength={2} value={address.country} onChange={set('country')} error={errors.country} required />
      {add.error && Object.keys(errors).length === 0 && <ErrorMessage error={add.error} />}
      {add.isSuccess && <p role="status">Address saved.</p>}
      <button type="submit" disabled={add.isPending}>
        Add address
      </button>
    </form>
  );
}

/** Checkout: an address, a payment method, Place order (one order however often it is pressed). */
export function Checkout() {
  const { api } = useShop();
  const { customer } = useSession();
  const navigate = useNavigate();
  const cart = useCart();
  const addresses = useAddresses();
  const [chosen, setChosen] = useState<string>();
  const [method, setMethod] = useState<'card' | 'paypal'>('card');
  const [card, setCard] = useState({ number: '', month: '', year: '', cvc: '' });
  const placeOrder = usePlaceOrder(api);
  const paypal = useMutation({
    mutationFn: (orderId: string) =>
      unwrap(
        api.POST('/payments/paypal', {
          body: { orderId, returnUrl: `${location.origin}/orders/${orderId}?placed=1`, cancelUrl: `${location.origin}/orders/${orderId}?paypal=cancelled` },
        }),
      ),
    onSuccess: (answer) => location.assign(answer.redirectUrl),
  });

  if (!customer)
    return (
      <section className="narrow">
        <h1>Checkout</h1>
        <p>
          <Link to="/signin" state={{ from: '/checkout' }}>
            Sign in
          </Link>{' '}
          or <Link to="/register">Register</Link> to check out. Your cart stays with you.
        </p>
      </section>
    );
  if (cart.isPending || addresses.isPending) return <Loading what="your checkout" />;
  const addressId = chosen ?? addresses.data?.items[0]?.id;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!addressId) return;
    const payment =
      method === 'card'
        ? { method: 'card' as const, cardNumber: card.number.replace(/\s+/g, ''), expMonth: Number(card.month), expYear: Number(card.year), cvc: card.cvc }
        : { method: 'paypal' as const };
    placeOrder.place(
      { shippingAddressId: addressId, payment },
      {
        onSuccess: (order) => {
          if (method === 'paypal') paypal.mutate(order.orderId);
          else navigate(`/orders/${order.orderId}?placed=1`);
        },
      },
    );
  };
  const errors = fieldErrors(placeOrder.error);

  return (
    <section aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <ErrorMessage error={cart.error ?? addresses.error} />
      {cart.data && (
        <p>
          {cart.data.itemCount} items, {money(cart.data.total)} before shipping and tax.
        </p>
      )}
      <h2>Shipping address</h2>
      {addresses.data && addresses.data.items.length > 0 && (
        <fieldset>
          <legend>Ship to</legend>
          {addresses.data.items.map((a) => (
            <label key={a.id} className="variant">
              <input type="radio" name="address" value={a.id} checked={addressId === a.id} onChange={() => setChosen(a.id)} />
              {a.recipientName}, {a.street}, {a.city}, {a.state} {a.postalCode}, {a.country}
            </label>
          ))}
        </fieldset>
      )}
      <details open={addresses.data?.items.length === 0}>
        <summary>Add an address</summary>
        <AddressForm onAdded={setChosen} />
      </details>
      <h2>Payment</h2>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Pay with</legend>
          <label className="variant">
            <input type="radio" name="method" checked={method === 'card'} onChange={() => setMethod('card')} /> Card
          </label>
          <label className="variant">
            <input type="radio" name="method" checked={method === 'paypal'} onChange={() => setMethod('paypal')} /> PayPal
          </label>
        </fieldset>
        {method === 'card' && (
          <div className="card-fields">
            <Field label="Card number" inputMode="numeric" autoComplete="cc-number" value={card.number} onChange={(e) => setCard({ ...card, number: e.target.value })} error={errors.cardNumber} required />
            <Field label="Expiry month" inputMode="numeric" autoComplete="cc-exp-month" placeholder="MM" value={card.month} onChange={(e) => setCard({ ...card, month: e.target.value })} error={errors.expMonth} required />
            <Field label="Expiry year" inputMode="numeric" autoComplete="cc-exp-year" placeholder="YYYY" value={card.year} onChange={(e) => setCard({ ...card, year: e.target.value })} error={errors.expYear} required />
            <Field label="CVC" inputMode="numeric" autoComplete="cc-csc" value={card.cvc} onChange={(e) => setCard({ ...card, cvc: e.target.value })} error={errors.cvc} required />
          </div>
        )}
        <ErrorMessage error={placeOrder.error} />
        <ErrorMessage error={paypal.error} />
        {!addressId && <p>Add an address to place your order.</p>}
        <button type="submit" disabled={!addressId || placeOrder.isPending || paypal.isPending}>
          Place order
        </button>
      </form>
    </section>
  );
}
