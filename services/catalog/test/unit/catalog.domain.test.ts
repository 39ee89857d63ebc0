import { expect } from 'chai';
import { errorCodeOf, errorOf } from '@shop/testkit';
import { MAX_CATEGORY_DEPTH, placeUnder, toCategoryTree, type Category } from '../../src/domain/category';
import { MAX_PRICE_AMOUNT, toPrice } from '../../src/domain/money';
import {
  defaultSku,
  effectivePrice,
  statusAfterActivation,
  statusAfterDeactivation,
  toDescription,
  toProductName,
  toVariants,
} from '../../src/domain/product';
import { productStockStatus, variantStockStatus } from '../../src/domain/stock-status';

const codeOf = errorCodeOf;

describe('catalog domain', () => {
  describe('price (INV-PROD: price >= 0.01)', () => {
    it('when the amount is at least 1 minor unit in the shop currency, then it is accepted', () => {
      expect(toPrice({ amount: 1, currency: 'USD' }, 'USD')).to.deep.equal({ amount: 1, currency: 'USD' });
      expect(toPrice({ amount: MAX_PRICE_AMOUNT, currency: 'USD' }, 'USD').amount).to.equal(MAX_PRICE_AMOUNT);
    });
    for (const amount of [0, -1, -1999, MAX_PRICE_AMOUNT + 1]) {
      it(`when the amount is ${amount}, then INVALID_PRICE naming the field`, () => {
        const error = errorOf(() => toPrice({ amount, currency: 'USD' }, 'USD', 'variants.1.price'));
        expect(error?.code).to.equal('INVALID_PRICE');
        expect(error?.details).to.include({ field: 'variants.1.price', min: 1 });
      });
    }
    it('when the amount is not an integer, then INVALID_PRICE (the HTTP schema answers 400 first)', () => {
      expect(codeOf(() => toPrice({ amount: 19.99, currency: 'USD' }, 'USD'))).to.equal('INVALID_PRICE');
    });
    it('when the currency is not the shop currency, then VALIDATION_ERROR naming price.currency', () => {
      const error = errorOf(() => toPrice({ amount: 100, currency: 'EUR' }, 'USD'));
      expect(error?.code).to.equal('VALIDATION_ERROR');
      expect(error?.details.fields).to.deep.equal([{ field: 'price.currency', message: 'must be USD' }]);
    });
  });

  describe('product name (INV-PROD: 2-200 characters)', () => {
    it('when the name has 2 or 200 characters once trimmed, then it is accepted, trimmed', () => {
      expect(toProductName('  ab  ')).to.equal('ab');
      expect(toProductName('x'.repeat(200))).to.have.length(200);
    });
    for (const [label, name] of [
      ['empty', ''],
      ['one character', 'a'],
      ['only spaces around one character', '   a   '],
      ['201 characters', 'x'.repeat(201)],
    ] as const) {
      it(`when the name is ${label}, then INVALID_PRODUCT_NAME`, () => {
        expect(codeOf(() => toProductName(name))).to.equal('INVALID_PRODUCT_NAME');
      });
    }
    it('when characters outside the basic plane are used, then they count as two, as in the event contracts', () => {
      expect(toProductName('😀'.repeat(100))).to.have.length(200);
      expect(codeOf(() => toProductName('😀'.repeat(101)))).to.equal('INVALID_PRODUCT_NAME');
    });
  });

  describe('description (INV-PROD: at most 5000 characters)', () => {
    it('when the description is empty or has 5000 characters, then it is accepted', () => {
      expect(toDescription('')).to.equal('');
      expect(toDescription('d'.repeat(5000))).to.have.length(5000);
    });
    it('when the description has 5001 characters, then DESCRIPTION_TOO_LONG with the limit', () => {
      const error = errorOf(() => toDescription('d'.repeat(5001)));
      expect(error?.code).to.equal('DESCRIPTION_TOO_LONG');
      expect(error?.details).to.deep.equal({ max: 5000, length: 5001 });
    });
    it('when surrounding white space takes it over the limit, then it is trimmed first and accepted', () => {
      expect(toDescription(`  ${'d'.repeat(5000)}\n`)).to.have.length(5000);
    });
  });

  describe('variants', () => {
    let n = 0;
    const ids = { newId: () => `id-${++n}`, skuSuffix: 'a1b2c3' };
    it('when none are given, then one default variant with a SKU from the name and no own price', () => {
      const [variant, ...rest] = toVariants(undefined, { name: 'Blue Café T-Shirt', currency: 'USD' }, ids);
      expect(rest).to.deep.equal([]);
      expect(variant).to.include({ name: 'Default', sku: 'BLUE-CAFE-T-SHIRT-A1B2C3', price: null });
    });
    it('when two variants share a SKU in any letter case, then SKU_TAKEN naming it', () => {
      const error = errorOf(() =>
        toVariants(
          [
            { sku: 'MUG-1', name: 'Small' },
            { sku: 'mug-1', name: 'Large' },
          ],
          { name: 'Mug', currency: 'USD' },
          ids,
        ),
      );
      expect(error?.code).to.equal('SKU_TAKEN');
      expect(error?.details).to.deep.equal({ skus: ['mug-1'] });
    });
    it('when a variant has its own price below 0.01, then INVALID_PRICE naming the variant', () => {
      const error = errorOf(() => toVariants([{ sku: 'A', name: 'A', price: { amount: 0, currency: 'USD' } }], { name: 'Mug', currency: 'USD' }, ids));
      expect(error?.code).to.equal('INVALID_PRICE');
      expect(error?.details.field).to.equal('variants.0.price');
    });
    it('when a variant has no own price, then the product price is its price', () => {
      const product = { price: { amount: 500, currency: 'USD' } };
      expect(effectivePrice(product, { price: null })).to.deep.equal({ amount: 500, currency: 'USD' });
      expect(effectivePrice(product, { price: { amount: 700, currency: 'USD' } })).to.deep.equal({ amount: 700, currency: 'USD' });
    });
    it('when the name has nothing to slug, then the default SKU still has a readable stem', () => {
      expect(defaultSku('!!', 'ff00aa')).to.equal('ITEM-FF00AA');
      expect(defaultSku('x'.repeat(100), '000000')).to.have.length(47);
    });
  });

  describe('status changes', () => {
    it('when a draft or inactive product is activated, then it becomes active; an active one needs no change', () => {
      expect(statusAfterActivation('draft')).to.equal('active');
      expect(statusAfterActivation('inactive')).to.equal('active');
      expect(statusAfterActivation('active')).to.equal(undefined);
    });
    it('when an active product is deactivated, then it becomes inactive; inactive and draft ones need no change', () => {
      expect(statusAfterDeactivation('active')).to.equal('inactive');
      expect(statusAfterDeactivation('inactive')).to.equal(undefined);
      expect(statusAfterDeactivation('draft')).to.equal(undefined);
    });
  });

  describe('category depth (INV-CAT: at most 3 levels)', () => {
    const at = (depth: number, path: string[]) => ({ id: path[path.length - 1] as string, depth, path });
    it('when there is no parent, then the category is a root at depth 1', () => {
      expect(placeUnder(undefined, 'a')).to.deep.equal({ depth: 1, path: ['a'] });
    });
    it('when the parent is at depth 2, then the category is at depth 3 with the full path', () => {
      expect(placeUnder(at(2, ['a', 'b']), 'c')).to.deep.equal({ depth: 3, path: ['a', 'b', 'c'] });
    });
    it('when the parent is at depth 3, then MAX_DEPTH_EXCEEDED', () => {
      const error = errorOf(() => placeUnder(at(3, ['a', 'b', 'c']), 'd'));
      expect(error?.code).to.equal('MAX_DEPTH_EXCEEDED');
      expect(error?.details).to.deep.equal({ maxDepth: MAX_CATEGORY_DEPTH });
    });
  });

  describe('category tree', () => {
    it('when categories come in any order, then roots hold their children, siblings sorted by name', () => {
      const c = (id: string, name: string, parent: string | null, depth: number): Category => ({
        id,
        name,
        parentCategoryId: parent,
        depth,
        path: [],
        createdAt: new Date(),
      });
      const tree = toCategoryTree([c('3', 'Mugs', '1', 2), c('1', 'Kitchen', null, 1), c('2', 'Books', null, 1), c('4', 'bowls', '1', 2), c('5', 'Espresso', '3', 3)]);
      expect(tree.map((n) => n.name)).to.deep.equal(['Books', 'Kitchen']);
      expect(tree[1]?.children.map((n) => n.name)).to.deep.equal(['bowls', 'Mugs']);
      expect(tree[1]?.children[1]?.children).to.deep.equal([{ id: '5', name: 'Espresso', parentCategoryId: '3', depth: 3, children: [] }]);
    });
  });

  describe('product stock status', () => {
    const cases = [
      [['in_stock', 'out_of_stock'], 'in_stock'],
      [['low_stock', 'in_stock'], 'in_stock'],
      [['low_stock', 'out_of_stock'], 'low_stock'],
      [['out_of_stock', undefined], 'out_of_stock'],
      [[undefined], 'out_of_stock'],
      [[], 'out_of_stock'],
      [[undefined, 'low_stock'], 'low_stock'],
    ] as const;
    for (const [variants, expected] of cases) {
      it(`when the variants are [${variants.map(String).join(', ')}], then the product is ${expected}`, () => {
        expect(productStockStatus([...variants])).to.equal(expected);
      });
    }
    it('when a variant has no stock row yet, then it counts as out of stock', () => {
      expect(variantStockStatus(undefined)).to.equal('out_of_stock');
      expect(variantStockStatus('low_stock')).to.equal('low_stock');
    });
  });
});
