import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AppError } from '@shop/platform';
import { errorCodeOf, errorOf } from '@shop/testkit';
import { assertErasable } from '../../src/domain/customer';
import { assertNoPendingOrders, changeFor, stateAfter, type OrderEventKind, type TrackedOrderState } from '../../src/domain/open-orders';

/** Applies events in order from an unknown order, as the view would. */
const replay = (kinds: OrderEventKind[]) => kinds.reduce<TrackedOrderState | undefined>((state, kind) => stateAfter(state, kind), undefined);

describe('customer domain: erasure', () => {
  describe('open orders (the view the order events keep)', () => {
    it('when an order is placed, then it is open', () => {
      expect(replay(['placed'])).to.equal('open');
    });

    it('when an order is delivered or cancelled, then it is closed', () => {
      expect(replay(['placed', 'delivered'])).to.equal('closed');
      expect(replay(['placed', 'cancelled'])).to.equal('closed');
    });

    it('when the closing event arrives before order.placed, then the late order.placed does not reopen it', () => {
      expect(replay(['delivered', 'placed'])).to.equal('closed');
      expect(replay(['cancelled', 'placed'])).to.equal('closed');
    });

    it('when an event comes twice, then the state is the same as after one', () => {
      expect(replay(['placed', 'placed'])).to.equal('open');
      expect(replay(['placed', 'cancelled', 'cancelled', 'placed'])).to.equal('closed');
    });

    it('when the events of an order come in any order, then it ends closed', () => {
      const permutations = (kinds: OrderEventKind[]): OrderEventKind[][] =>
        kinds.length <= 1 ? [kinds] : kinds.flatMap((kind, i) => permutations([...kinds.slice(0, i), ...kinds.slice(i + 1)]).map((rest) => [kind, ...rest]));
      for (const kinds of permutations(['placed', 'cancelled', 'placed', 'delivered'])) expect(replay(kinds), kinds.join(' ')).to.equal('closed');
    });

    it('then only the closing events replace a state the view has; order.placed only opens an order it does not know', () => {
      expect(changeFor('placed')).to.deep.equal({ state: 'open', replaces: false });
      expect(changeFor('delivered')).to.deep.equal({ state: 'closed', replaces: true });
      expect(changeFor('cancelled')).to.deep.equal({ state: 'closed', replaces: true });
    });
  });

  describe('assertNoPendingOrders (CMD-CUST-004)', () => {
    it('when no order is open, then erasure may go ahead', () => {
      expect(errorCodeOf(() => assertNoPendingOrders([]))).to.equal(undefined);
    });

    it('when orders are open, then PENDING_ORDERS_EXIST naming them', () => {
      const ids = [randomUUID(), randomUUID()];
      const err = errorOf(() => assertNoPendingOrders(ids)) as AppError;
      expect(err.code).to.equal('PENDING_ORDERS_EXIST');
      expect(err.details).to.deep.equal({ orderIds: ids });
    });
  });

  describe('assertErasable', () => {
    it('when the account is an admin, then FORBIDDEN: the shop must not lose what may be its only admin', () => {
      expect(errorCodeOf(() => assertErasable({ role: 'admin' }))).to.equal('FORBIDDEN');
    });

    it('when the account is a customer or fulfilment staff, then it may be erased', () => {
      expect(errorCodeOf(() => assertErasable({ role: 'customer' }))).to.equal(undefined);
      expect(errorCodeOf(() => assertErasable({ role: 'fulfillment' }))).to.equal(undefined);
    });
  });
});
