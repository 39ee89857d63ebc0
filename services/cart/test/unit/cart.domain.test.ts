import { expect } from 'chai';
import { errorCodeOf, errorOf } from '@shop/testkit';
import {
  assertInStock,
  assertLineQuantity,
  assertSellable,
  assertWithinStock,
  chooseVariant,
  idleSince,
  isAvailable,
  isRestorable,
  mergedQuantity,
  MAX_LINE_QUANTITY,
  totalsOf,
  type CatalogProduct,
} from '../../src/domain/cart';
import { hashCartToken, newCartToken } from '../../src/domain/cart-token';

const usd = (amount: number) => ({ amount, currency: 'USD' });

function product(overrides: Partial<CatalogProduct> = {}, variantCount = 1): CatalogProduct {
  return {
    productId: '7d3f8a52-1c1e-4f8e-9d55-2a6f0c1b9e01',
    name: 'Teapot',
    status: 'active',
    deleted: false,
    variants: Array.from({ length: variantCount }, (_, i) => ({
      variantId: `0b6c2f1e-5d4a-4c3b-8a29-1f0e9d8c7b6${i}`,
      sku: `TP-${i}`,
      name: `Size ${i}`,
      price: usd(1500 + i),
    })),
    ...overrides,
  };
}

describe('cart domain', () => {
  describe('assertSellable', () => {
    it('when the product is active and not deleted, then it passes', () => {
      expect(errorOf(() => assertSellable(product(), 'p'))).to.equal(undefined);
    });
    it('when the product is unknown, then PRODUCT_NOT_FOUND naming it', () => {
      const error = errorOf(() => assertSellable(undefined, 'p-1'));
      expect(error?.code).to.equal('PRODUCT_NOT_FOUND');
      expect(error?.details).to.deep.equal({ productId: 'p-1' });
    });
    for (const [label, overrides, status] of [
      ['a draft', { status: 'draft' }, 'draft'],
      ['inactive', { status: 'inactive' }, 'inactive'],
      ['deleted (though active)', { deleted: true }, 'deleted'],
    ] as const) {
      it(`when the product is ${label}, then PRODUCT_INACTIVE with status ${status}`, () => {
        const error = errorOf(() => assertSellable(product(overrides), 'p'));
        expect(error?.code).to.equal('PRODUCT_INACTIVE');
        expect(error?.details).to.include({ status });
      });
    }
  });

  describe('chooseVariant', () => {
    it('when the product has one variant and none is named, then that variant is implied', () => {
      const single = product();
      expect(chooseVariant(single, undefined)).to.equal(single.variants[0]);
    });
    it('when the product has several variants and none is named, then VARIANT_REQUIRED listing them', () => {
      const several = product({}, 3);
      const error = errorOf(() => chooseVariant(several, undefined));
      expect(error?.code).to.equal('VARIANT_REQUIRED');
      expect(error?.details.variants).to.deep.equal(several.variants.map((v) => v.variantId));
    });
    it('when the product has several variants and one is named, then that one', () => {
      const several = product({}, 3);
      expect(chooseVariant(several, several.variants[1]!.variantId)).to.equal(several.variants[1]);
    });
    it('when the named variant is not one of the product, then PRODUCT_NOT_FOUND', () => {
      const error = errorOf(() => chooseVariant(product({}, 2), '11111111-2222-4333-8444-555555555555'));
      expect(error?.code).to.equal('PRODUCT_NOT_FOUND');
      expect(error?.details).to.include({ variantId: '11111111-2222-4333-8444-555555555555' });
    });
    it('when the variant id is written in upper case, then it is the same variant', () => {
      const several = product({}, 2);
      expect(chooseVariant(several, several.variants[1]!.variantId.toUpperCase())).to.equal(several.variants[1]);
    });
  });

  describe('assertLineQuantity', () => {
    for (const quantity of [1, 50, MAX_LINE_QUANTITY]) {
      it(`when the line would hold ${quantity}, then it passes`, () => {
        expect(errorCodeOf(() => assertLineQuantity(quantity))).to.equal(undefined);
      });
    }
    for (const quantity of [0, -1, 100, 1.5]) {
      it(`when the line would hold ${quantity}, then VALIDATION_ERROR naming quantity`, () => {
        const error = errorOf(() => assertLineQuantity(quantity));
        expect(error?.code).to.equal('VALIDATION_ERROR');
        expect((error?.details.fields as Array<{ field: string }>).map((f) => f.field)).to.deep.equal(['quantity']);
      });
    }
  });

  describe('assertInStock and assertWithinStock', () => {
    it('when something is available, then assertInStock passes', () => {
      expect(errorCodeOf(() => assertInStock(1, 'v'))).to.equal(undefined);
    });
    for (const available of [0, -2]) {
      it(`when ${available} is available, then OUT_OF_STOCK with details.available 0`, () => {
        const error = errorOf(() => assertInStock(available, 'v'));
        expect(error?.code).to.equal('OUT_OF_STOCK');
        expect(error?.details).to.deep.equal({ variantId: 'v', available: 0 });
      });
    }
    it('when the quantity equals what is available, then assertWithinStock passes', () => {
      expect(errorCodeOf(() => assertWithinStock(5, 5, 'v'))).to.equal(undefined);
    });
    it('when the quantity is one above what is available, then QUANTITY_EXCEEDS_STOCK with details.available', () => {
      const error = errorOf(() => assertWithinStock(6, 5, 'v'));
      expect(error?.code).to.equal('QUANTITY_EXCEEDS_STOCK');
      expect(error?.details).to.deep.equal({ variantId: 'v', requested: 6, available: 5 });
    });
    it('when the stock is negative, then details.available says 0', () => {
      expect(errorOf(() => assertWithinStock(1, -3, 'v'))?.details).to.include({ available: 0 });
    });
  });

  describe('mergedQuantity', () => {
    it('when the stock covers both lines, then their sum', () => {
      expect(mergedQuantity(2, 3, 10)).to.equal(5);
    });
    it('when the sum is above the stock, then the stock', () => {
      expect(mergedQuantity(4, 4, 6)).to.equal(6);
    });
    it('when the sum and the stock are above 99, then 99', () => {
      expect(mergedQuantity(60, 60, 500)).to.equal(MAX_LINE_QUANTITY);
    });
    it('when nothing is available, then 0 (the line is left out)', () => {
      expect(mergedQuantity(0, 3, 0)).to.equal(0);
      expect(mergedQuantity(0, 3, -1)).to.equal(0);
    });
  });

  describe('isRestorable', () => {
    const removedAt = new Date('2026-01-01T10:00:00.000Z');
    it('when the undo window has 1 ms left, then the line can be restored', () => {
      expect(isRestorable(removedAt, new Date(removedAt.getTime() + 600_000 - 1), 600)).to.equal(true);
    });
    it('when the undo window has just ended, then it cannot', () => {
      expect(isRestorable(removedAt, new Date(removedAt.getTime() + 600_000), 600)).to.equal(false);
      expect(isRestorable(removedAt, new Date(removedAt.getTime() + 600_001), 600)).to.equal(false);
    });
  });

  describe('idleSince', () => {
    it('when the time to live is given in days, then the instant that many days before now', () => {
      const now = new Date('2026-03-31T12:00:00.000Z');
      expect(idleSince(now, 30).toISOString()).to.equal('2026-03-01T12:00:00.000Z');
      expect(idleSince(now, 0.5).toISOString()).to.equal('2026-03-31T00:00:00.000Z');
    });
  });

  describe('isAvailable', () => {
    it('when the product is active and in stock or its stock is unknown, then available', () => {
      expect(isAvailable({ status: 'active', deleted: false }, 'in_stock')).to.equal(true);
      expect(isAvailable({ status: 'active', deleted: false }, 'low_stock')).to.equal(true);
      expect(isAvailable({ status: 'active', deleted: false }, null)).to.equal(true);
    });
    it('when the variant is sold out, then not available', () => {
      expect(isAvailable({ status: 'active', deleted: false }, 'out_of_stock')).to.equal(false);
    });
    it('when the product is inactive, a draft or deleted, then not available', () => {
      expect(isAvailable({ status: 'inactive', deleted: false }, 'in_stock')).to.equal(false);
      expect(isAvailable({ status: 'draft', deleted: false }, 'in_stock')).to.equal(false);
      expect(isAvailable({ status: 'active', deleted: true }, 'in_stock')).to.equal(false);
    });
  });

  describe('totalsOf', () => {
    it('when some lines are not available, then itemCount counts every item and total only the available ones', () => {
      const totals = totalsOf(
        [
          { quantity: 2, unitPrice: usd(1500), available: true },
          { quantity: 3, unitPrice: usd(1000), available: false },
          { quantity: 1, unitPrice: usd(250), available: true },
        ],
        'USD',
      );
      expect(totals).to.deep.equal({ itemCount: 6, total: usd(3250) });
    });
    it('when the cart is empty, then 0 items and a total of 0 in the shop currency', () => {
      expect(totalsOf([], 'EUR')).to.deep.equal({ itemCount: 0, total: { amount: 0, currency: 'EUR' } });
    });
  });

  describe('cart tokens', () => {
    it('when a token is made, then it carries at least 128 random bits, URL-safe, and differs each time', () => {
      const tokens = Array.from({ length: 50 }, () => newCartToken());
      for (const token of tokens) {
        expect(token).to.match(/^[A-Za-z0-9_-]+$/);
        expect(Buffer.from(token, 'base64url').length * 8).to.be.at.least(128);
      }
      expect(new Set(tokens).size).to.equal(tokens.length);
    });
    it('when the same token is hashed twice, then the same hash; another token, another hash; never the token itself', () => {
      const token = newCartToken();
      expect(hashCartToken(token).equals(hashCartToken(token))).to.equal(true);
      expect(hashCartToken(token).equals(hashCartToken(newCartToken()))).to.equal(false);
      expect(hashCartToken(token).toString('base64url')).to.not.equal(token);
      expect(hashCartToken(token)).to.have.length(32);
    });
  });
});
