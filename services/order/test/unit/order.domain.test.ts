import { expect } from 'chai';
import { errorCodeOf, errorOf } from '@shop/testkit';
import { assertNotEmpty, assertOnSale, type CartLine } from '../../src/domain/checkout';
import { anonymousAddress, assertCancellable, assertTransition, canTransition, formatOrderNumber, refundAmountOf, toEventLine, type OrderStatus } from '../../src/domain/order';
import { assertDomestic, priceOrder, taxOf } from '../../src/domain/pricing';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const rules = { currency: 'USD', shippingFlat: 500, freeShippingFrom: 5000, taxRate: 0.08 };

describe('order domain', () => {
  describe('pricing', () => {
    it('when two lines at 20.00, then 40.00 + 5.00 shipping + 3.20 tax = 48.20', () => {
      const totals = priceOrder([{ quantity: 1, unitPrice: usd(2000) }, { quantity: 1, unitPrice: usd(2000) }], rules);
      expect(totals).to.deep.equal({ subtotal: usd(4000), shippingCost: usd(500), tax: usd(320), total: usd(4820) });
    });

    it('when the subtotal reaches the threshold exactly, then shipping is free; one cent below, it is not', () => {
      expect(priceOrder([{ quantity: 2, unitPrice: usd(2500) }], rules).shippingCost).to.deep.equal(usd(0));
      expect(priceOrder([{ quantity: 1, unitPrice: usd(4999) }], rules).shippingCost).to.deep.equal(usd(500));
    });

    it('when tax falls on exactly half a cent, then it is rounded up; below half, down; above, up', () => {
      expect(taxOf(10, 0.05)).to.equal(1); // 0.5
      expect(taxOf(30, 0.05)).to.equal(2); // 1.5
      expect(taxOf(1906, 0.08)).to.equal(152); // 152.48
      expect(taxOf(1907, 0.08)).to.equal(153); // 152.56
      expect(taxOf(4000, 0.08)).to.equal(320);
    });

    it('when the rate is a float that is not exact in binary, then the tax is still right to the cent', () => {
      expect(taxOf(1000, 0.07)).to.equal(70);
      expect(taxOf(333, 0.0725)).to.equal(24); // 24.1425
      expect(taxOf(1000, 0.0725)).to.equal(73); // 72.5 -> 73
    });

    it('when there is no tax rate and shipping is free, then the total is the subtotal', () => {
      expect(priceOrder([{ quantity: 3, unitPrice: usd(1000) }], { ...rules, taxRate: 0, freeShippingFrom: 0 }).total).to.deep.equal(usd(3000));
    });

    it('when a line is priced in another currency, then pricing refuses it (a bug upstream, not a shopper error)', () => {
      expect(() => priceOrder([{ quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } }], rules)).to.throw(/EUR/);
    });

    it("when the address is abroad, then INTERNATIONAL_SHIPPING_NOT_AVAILABLE; the shop's country in any case passes", () => {
      expect(errorCodeOf(() => assertDomestic({ country: 'FR' }, 'US'))).to.equal('INTERNATIONAL_SHIPPING_NOT_AVAILABLE');
      expect(() => assertDomestic({ country: 'us' }, 'US')).not.to.throw();
    });
  });

  describe('status machine', () => {
    const allowed: Array<[OrderStatus, OrderStatus]> = [
      ['PENDING', 'CONFIRMED'],
      ['CONFIRMED', 'SHIPPED'],
      ['SHIPPED', 'DELIVERED'],
      ['PENDING', 'CANCELLED'],
      ['CONFIRMED', 'CANCELLED'],
    ];
    const statuses: OrderStatus[] = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'];

    it('when a transition is in API.md, then it is allowed; every other one is INVALID_STATUS_TRANSITION', () => {
      for (const from of statuses) {
        for (const to of statuses) {
          const expected = allowed.some(([a, b]) => a === from && b === to);
          expect(canTransition(from, to), `${from} -> ${to}`).to.equal(expected);
          expect(errorCodeOf(() => assertTransition({ id: 'o', status: from }, to)), `${from} -> ${to}`).to.equal(expected ? undefined : 'INVALID_STATUS_TRANSITION');
        }
      }
    });

    it('when refused, then the error names both statuses', () => {
      expect(errorOf(() => assertTransition({ id: 'o1', status: 'DELIVERED' }, 'CANCELLED'))?.details).to.deep.equal({ orderId: 'o1', from: 'DELIVERED', to: 'CANCELLED' });
    });
  });

  describe('cancellation', () => {
    it('when PENDING or CONFIRMED, then it may be cancelled; SHIPPED, DELIVERED or CANCELLED, CANCELLATION_NOT_ALLOWED', () => {
      for (const status of ['PENDING', 'CONFIRMED'] as OrderStatus[]) expect(() => assertCancellable({ id: 'o', status }), status).not.to.throw();
      for (const status of ['SHIPPED', 'DELIVERED', 'CANCELLED'] as OrderStatus[]) expect(errorCodeOf(() => assertCancellable({ id: 'o', status })), status).to.equal('CANCELLATION_NOT_ALLOWED');
    });

    it('when the money was captured, then the whole total is refunded; only held (or failed), nothing is: the hold is voided', () => {
      const total = usd(4820);
      expect(refundAmountOf({ total, payment: { method: 'card', status: 'captured' } })).to.deep.equal(usd(4820));
      expect(refundAmountOf({ total, payment: { method: 'card', status: 'authorized' } })).to.deep.equal(usd(0));
      expect(refundAmountOf({ total, payment: { method: 'card', status: 'failed' } })).to.deep.equal(usd(0));
    });
  });

  describe('erasure', () => {
    it('when an order forgets its customer, then its address keeps the country and nothing that finds a person', () => {
      expect(anonymousAddress({ recipientName: 'Ada', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' } as never)).to.deep.equal({
        recipientName: '',
        street: '',
        city: '',
        state: '',
        postalCode: '',
        country: 'US',
      });
    });
  });

  describe('order numbers and lines', () => {
    it('when numbered, then ORD-<year>-<at least six digits>', () => {
      expect(formatOrderNumber(2026, 123)).to.equal('ORD-2026-000123');
      expect(formatOrderNumber(2027, 1_234_567)).to.equal('ORD-2027-1234567');
    });

    it('when a line goes into an event, then product and variant make one name, and the variant is left out when it says the same', () => {
      const line = { productId: 'p', variantId: 'v', productName: 'Mug', variantName: 'Blue', sku: 'MUG-B', quantity: 2, unitPrice: usd(900), subtotal: usd(1800) };
      expect(toEventLine(line)).to.deep.equal({ productId: 'p', variantId: 'v', sku: 'MUG-B', name: 'Mug (Blue)', quantity: 2, unitPrice: usd(900), lineTotal: usd(1800) });
      expect(toEventLine({ ...line, variantName: 'Mug' }).name).to.equal('Mug');
      expect(toEventLine({ ...line, variantName: '' }).name).to.equal('Mug');
    });
  });

  describe('cart checks', () => {
    const line = (onSale: boolean): CartLine => ({ productId: 'p', variantId: 'v', productName: 'Mug', variantName: 'Blue', sku: 'S', quantity: 1, unitPrice: usd(100), onSale });

    it('when the cart has no lines, then EMPTY_CART', () => {
      expect(errorCodeOf(() => assertNotEmpty([]))).to.equal('EMPTY_CART');
      expect(() => assertNotEmpty([line(true)])).not.to.throw();
    });

    it('when a line is no longer on sale, then PRODUCT_INACTIVE naming it', () => {
      const error = errorOf(() => assertOnSale([line(true), { ...line(false), productId: 'gone' }]));
      expect(error?.code).to.equal('PRODUCT_INACTIVE');
      expect(error?.details.items).to.deep.equal([{ productId: 'gone', variantId: 'v', productName: 'Mug' }]);
    });
  });
});
