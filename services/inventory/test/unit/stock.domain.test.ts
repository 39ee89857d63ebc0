import { expect } from 'chai';
import type { AppError } from '@shop/platform';
import { errorCodeOf, errorOf as anyErrorOf } from '@shop/testkit';
import { assertCommittable, assertDeductible, isExpired, assertReleasable, assertSameLines, assertStockCovers, shortfallsOf, toReservationLines } from '../../src/domain/reservation';
import {
  adjust,
  availableOf,
  changeThreshold,
  deduct,
  evaluateAlerts,
  isStandIn,
  MAX_QUANTITY,
  release,
  reserve,
  restock,
  setQuantity,
  stockStatusOf,
  type AlertState,
  type StockLevel,
} from '../../src/domain/stock';

const codeOf = errorCodeOf;

/** The AppError the call throws; a call that returns fails the test. */
function errorOf(fn: () => unknown): AppError {
  const error = anyErrorOf(fn);
  if (!error) throw new Error('expected an AppError');
  return error;
}

const level = (onHand: number, reserved = 0, lowStockThreshold = 5): StockLevel => ({ onHand, reserved, lowStockThreshold });
const none: AlertState = { lowStockAlerted: false, outOfStockAlerted: false };
const V1 = '00000000-0000-4000-8000-000000000001';
const V2 = '00000000-0000-4000-8000-000000000002';
const V3 = '00000000-0000-4000-8000-000000000003';

describe('inventory domain', () => {
  describe('available and stock status', () => {
    it('when 10 are on hand and 4 reserved, then 6 are available', () => {
      expect(availableOf(level(10, 4))).to.equal(6);
    });
    it('when nothing is available, then out_of_stock', () => {
      expect(stockStatusOf(level(3, 3))).to.equal('out_of_stock');
      expect(stockStatusOf(level(0))).to.equal('out_of_stock');
    });
    it('when available is between 1 and the threshold, then low_stock', () => {
      expect(stockStatusOf(level(1))).to.equal('low_stock');
      expect(stockStatusOf(level(5))).to.equal('low_stock');
      expect(stockStatusOf(level(8, 3))).to.equal('low_stock');
    });
    it('when available is above the threshold, then in_stock', () => {
      expect(stockStatusOf(level(6))).to.equal('in_stock');
    });
    it('when the threshold is 0, then any available stock is in_stock', () => {
      expect(stockStatusOf(level(1, 0, 0))).to.equal('in_stock');
      expect(stockStatusOf(level(0, 0, 0))).to.equal('out_of_stock');
    });
  });

  describe('set quantity (CMD-INV-001)', () => {
    it('when the quantity covers what is reserved, then on hand becomes it', () => {
      expect(setQuantity(level(10, 4), 4)).to.deep.equal(level(4, 4));
      expect(setQuantity(level(10), 0)).to.deep.equal(level(0));
    });
    it('when the quantity is negative, then NEGATIVE_QUANTITY', () => {
      expect(codeOf(() => setQuantity(level(10), -1))).to.equal('NEGATIVE_QUANTITY');
    });
    it('when the quantity is below what is reserved, then NEGATIVE_STOCK naming the reserved quantity', () => {
      const error = errorOf(() => setQuantity(level(10, 4), 3));
      expect(error.code).to.equal('NEGATIVE_STOCK');
      expect(error.details).to.include({ reserved: 4 });
    });
    it('when the quantity is beyond the limit, then VALIDATION_ERROR', () => {
      expect(codeOf(() => setQuantity(level(10), MAX_QUANTITY + 1))).to.equal('VALIDATION_ERROR');
    });
  });

  describe('adjust (CMD-INV-002)', () => {
    it('when the delta is positive or leaves enough for the reservations, then on hand moves by it', () => {
      expect(adjust(level(10, 4), 3).onHand).to.equal(13);
      expect(adjust(level(10, 4), -6).onHand).to.equal(4);
    });
    it('when the result would be less than what is reserved, then NEGATIVE_STOCK', () => {
      expect(codeOf(() => adjust(level(10, 4), -7))).to.equal('NEGATIVE_STOCK');
      expect(codeOf(() => adjust(level(2), -3))).to.equal('NEGATIVE_STOCK');
    });
    it('when the result is beyond the limit, then VALIDATION_ERROR', () => {
      expect(codeOf(() => adjust(level(MAX_QUANTITY), 1))).to.equal('VALIDATION_ERROR');
    });
  });

  describe('restock (SEQ-INV-001)', () => {
    it('when the quantity is positive, then it is added to on hand', () => {
      expect(restock(level(2, 1), 10)).to.deep.equal(level(12, 1));
    });
    for (const bad of [0, -5, 1.5]) {
      it(`when the quantity is ${bad}, then VALIDATION_ERROR`, () => {
        expect(codeOf(() => restock(level(2), bad))).to.equal('VALIDATION_ERROR');
      });
    }
  });

  describe('threshold', () => {
    it('when the threshold is 0 or more, then it is set; negative, VALIDATION_ERROR', () => {
      expect(changeThreshold(level(10), 0).lowStockThreshold).to.equal(0);
      expect(codeOf(() => changeThreshold(level(10), -1))).to.equal('VALIDATION_ERROR');
    });
  });

  describe('reserve, release, deduct', () => {
    it('when reserving within what is available, then reserved grows and on hand stays', () => {
      expect(reserve(level(10, 4), 6)).to.deep.equal(level(10, 10));
    });
    it('when reserving more than is available, then INSUFFICIENT_STOCK', () => {
      expect(codeOf(() => reserve(level(10, 4), 7))).to.equal('INSUFFICIENT_STOCK');
    });
    it('when releasing, then reserved drops and available grows back', () => {
      expect(release(level(10, 4), 4)).to.deep.equal(level(10, 0));
    });
    it('when deducting, then on hand and reserved drop together and available is unchanged', () => {
      const next = deduct(level(10, 4), 3);
      expect(next).to.deep.equal(level(7, 1));
      expect(availableOf(next)).to.equal(availableOf(level(10, 4)));
    });
    it('when releasing or deducting more than is reserved, then CONFLICT', () => {
      expect(codeOf(() => release(level(10, 2), 3))).to.equal('CONFLICT');
      expect(codeOf(() => deduct(level(10, 2), 3))).to.equal('CONFLICT');
    });
  });

  describe('threshold crossing alerts', () => {
    it('when available falls to the threshold, then low-stock is sent once and remembered', () => {
      const decision = evaluateAlerts(level(5), none);
      expect(decision).to.deep.equal({ state: { lowStockAlerted: true, outOfStockAlerted: false }, lowStock: true, outOfStock: false });
    });
    it('when available stays above the threshold, then nothing is sent', () => {
      expect(evaluateAlerts(level(6), none)).to.deep.equal({ state: none, lowStock: false, outOfStock: false });
    });
    it('when available falls further below the threshold after the alert, then low-stock is not sent again', () => {
      const decision = evaluateAlerts(level(2), { lowStockAlerted: true, outOfStockAlerted: false });
      expect(decision.lowStock).to.equal(false);
      expect(decision.state.lowStockAlerted).to.equal(true);
    });
    it('when available rises above the threshold, then the low-stock state clears and the next fall alerts again', () => {
      const risen = evaluateAlerts(level(6), { lowStockAlerted: true, outOfStockAlerted: false });
      expect(risen).to.deep.equal({ state: none, lowStock: false, outOfStock: false });
      expect(evaluateAlerts(level(4), risen.state).lowStock).to.equal(true);
    });
    it('when available reaches 0 after a low-stock alert, then only out-of-stock is sent', () => {
      const decision = evaluateAlerts(level(3, 3), { lowStockAlerted: true, outOfStockAlerted: false });
      expect(decision).to.deep.equal({ state: { lowStockAlerted: true, outOfStockAlerted: true }, lowStock: false, outOfStock: true });
    });
    it('when available drops from above the threshold straight to 0, then both alerts are sent', () => {
      expect(evaluateAlerts(level(0), none)).to.deep.include({ lowStock: true, outOfStock: true });
    });
    it('when available stays at 0, then out-of-stock is not sent again', () => {
      expect(evaluateAlerts(level(0), { lowStockAlerted: true, outOfStockAlerted: true })).to.deep.include({ lowStock: false, outOfStock: false });
    });
    it('when available rises from 0 to within the threshold, then out-of-stock clears but low-stock stays (no new alert)', () => {
      const decision = evaluateAlerts(level(2), { lowStockAlerted: true, outOfStockAlerted: true });
      expect(decision).to.deep.equal({ state: { lowStockAlerted: true, outOfStockAlerted: false }, lowStock: false, outOfStock: false });
      expect(evaluateAlerts(level(0), decision.state)).to.deep.include({ lowStock: false, outOfStock: true });
    });
    it('when the threshold is raised above available, then low-stock is sent; lowered below, it clears', () => {
      expect(evaluateAlerts(level(8, 0, 10), none).lowStock).to.equal(true);
      expect(evaluateAlerts(level(8, 0, 3), { lowStockAlerted: true, outOfStockAlerted: false }).state.lowStockAlerted).to.equal(false);
    });
  });

  describe('rows the catalog feed opened', () => {
    it('when nothing has changed the row since the feed opened it, then it stands in for product.created; once changed, or from an event, it does not', () => {
      expect(isStandIn({ origin: 'catalog_feed', version: 1 })).to.equal(true);
      expect(isStandIn({ origin: 'catalog_feed', version: 2 })).to.equal(false);
      expect(isStandIn({ origin: 'product_created', version: 1 })).to.equal(false);
      expect(isStandIn({ origin: 'product_updated', version: 1 })).to.equal(false);
    });
  });

  describe('reservation lines', () => {
    it('when lines repeat a variant, then they are added up and sorted by variant id', () => {
      expect(
        toReservationLines([
          { variantId: V2, quantity: 1 },
          { variantId: V1, quantity: 2 },
          { variantId: V2, quantity: 3 },
        ]),
      ).to.deep.equal([
        { variantId: V1, quantity: 2 },
        { variantId: V2, quantity: 4 },
      ]);
    });
    it('when an id comes in upper case, then it is lower-cased like the stored uuids', () => {
      expect(toReservationLines([{ variantId: V1.toUpperCase(), quantity: 1 }, { variantId: V1, quantity: 1 }])).to.deep.equal([{ variantId: V1, quantity: 2 }]);
    });
    it('when a line asks for more than is available or for an unknown variant, then it is a shortfall with what is available', () => {
      const stock = new Map([
        [V1, level(10, 8)],
        [V2, level(5)],
      ]);
      const lines = [
        { variantId: V1, quantity: 3 },
        { variantId: V2, quantity: 5 },
        { variantId: V3, quantity: 1 },
      ];
      expect(shortfallsOf(lines, stock)).to.deep.equal([
        { variantId: V1, requested: 3, available: 2 },
        { variantId: V3, requested: 1, available: 0 },
      ]);
      const error = errorOf(() => assertStockCovers(lines, stock));
      expect(error.code).to.equal('INSUFFICIENT_STOCK');
      expect(error.details.items).to.have.length(2);
    });
    it('when every line is covered, then nothing is short', () => {
      expect(codeOf(() => assertStockCovers([{ variantId: V1, quantity: 2 }], new Map([[V1, level(2)]])))).to.equal(undefined);
    });
    it('when a replay asks for other lines than the reservation holds, then CONFLICT', () => {
      const reservation = { orderId: V3, lines: [{ variantId: V1, quantity: 2 }] };
      expect(codeOf(() => assertSameLines(reservation, [{ variantId: V1, quantity: 2 }]))).to.equal(undefined);
      expect(codeOf(() => assertSameLines(reservation, [{ variantId: V1, quantity: 3 }]))).to.equal('CONFLICT');
      expect(codeOf(() => assertSameLines(reservation, [{ variantId: V2, quantity: 2 }]))).to.equal('CONFLICT');
    });
    it('when a reservation was deducted, then it cannot be released; released or never committed, it cannot be deducted', () => {
      expect(codeOf(() => assertReleasable({ orderId: V1, status: 'deducted' }))).to.equal('CONFLICT');
      expect(codeOf(() => assertReleasable({ orderId: V1, status: 'reserved' }))).to.equal(undefined);
      expect(codeOf(() => assertReleasable({ orderId: V1, status: 'committed' }))).to.equal(undefined);
      expect(codeOf(() => assertDeductible({ orderId: V1, status: 'released' }))).to.equal('CONFLICT');
      expect(codeOf(() => assertDeductible({ orderId: V1, status: 'reserved' }))).to.equal('CONFLICT');
      expect(codeOf(() => assertDeductible({ orderId: V1, status: 'committed' }))).to.equal(undefined);
    });

    it('when a hold is committed, then only a hold released by its expiry says RESERVATION_EXPIRED', () => {
      expect(codeOf(() => assertCommittable({ orderId: V1, status: 'reserved', releaseReason: null }))).to.equal(undefined);
      expect(codeOf(() => assertCommittable({ orderId: V1, status: 'committed', releaseReason: null }))).to.equal(undefined);
      expect(codeOf(() => assertCommittable({ orderId: V1, status: 'released', releaseReason: 'expired' }))).to.equal('RESERVATION_EXPIRED');
      expect(codeOf(() => assertCommittable({ orderId: V1, status: 'released', releaseReason: 'payment declined' }))).to.equal('CONFLICT');
    });

    it('when a hold is past its expiry and uncommitted, then it is expired; committed, never', () => {
      const now = new Date('2026-01-01T10:00:00Z');
      expect(isExpired({ status: 'reserved', expiresAt: new Date('2026-01-01T09:59:59Z') }, now)).to.equal(true);
      expect(isExpired({ status: 'reserved', expiresAt: new Date('2026-01-01T10:00:01Z') }, now)).to.equal(false);
      expect(isExpired({ status: 'committed', expiresAt: null }, now)).to.equal(false);
    });
  });
});
