import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createProduct } from '../src/app/create-product.use-case';
import { startCatalogFixture, usd, type CatalogFixture } from './catalog.fixture';

interface Listed {
  id: string;
  name: string;
  price: { amount: number; currency: string };
  categoryId: string;
  createdAt: string;
}

/** Letters only, so names sort the same way under any collation. */
const letters = (n: number, length = 3) =>
  Array.from({ length }, (_, i) => String.fromCharCode(97 + (Math.floor(n / 26 ** (length - 1 - i)) % 26))).join('');
const byCreatedDesc = (a: Listed, b: Listed) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
const ids = (items: Array<{ id: string }>) => items.map((p) => p.id);

describe('catalog service: browsing products', function () {
  this.timeout(60_000);
  const CATALOG_SIZE = 320;
  let f: CatalogFixture;
  let home: string;
  let kitchen: string;
  let mugs: string;
  let garden: string;
  /** Every product a shopper should see, as created. */
  const listed: Listed[] = [];

  /** Every page of a listing, pageSize 100, concatenated. */
  async function allPages(query: string): Promise<{ items: Listed[]; total: number }> {
    const items: Listed[] = [];
    let total = 0;
    for (let page = 1; ; page += 1) {
      const response = await f.api.get(`/products?${query}${query ? '&' : ''}page=${page}&pageSize=100`);
      expect(response.status, query).to.equal(200);
      total = response.body.total;
      items.push(...response.body.items);
      if (response.body.items.length < 100) break;
    }
    expect(items.length, `${query}: items vs total`).to.equal(total);
    return { items, total };
  }

  before(async () => {
    f = await startCatalogFixture();
    home = (await f.createCategory({ name: 'Home' })).id;
    kitchen = (await f.createCategory({ name: 'Kitchen', parentCategoryId: home })).id;
    mugs = (await f.createCategory({ name: 'Mugs', parentCategoryId: kitchen })).id;
    garden = (await f.createCategory({ name: 'Garden' })).id;
    const categories = [home, kitchen, mugs, garden];

    // Hundreds of products straight through the use case: the same rules, without HTTP round trips.
    for (let i = 0; i < CATALOG_SIZE; i += 1) {
      const product = await createProduct(f.service.deps, f.adminPrincipal, {
        name: `Widget ${letters((i * 7919) % 17_576)}`,
        description: 'An ordinary widget.',
        price: usd(((i * 7_919) % 10_000) + 1),
        categoryId: categories[i % categories.length] as string,
        initialStock: 0,
        // Every tenth one stays a draft, which shoppers must never see.
        status: i % 10 === 9 ? 'draft' : 'active',
      });
      if (product.status === 'active') listed.push(product);
    }
  });
  after(() => f.stop());

  describe('GET /products: pagination and sorting', () => {
    it('when no query is given, then page 1 of 20, newest first, with price, category and stock status', async () => {
      const response = await f.api.get('/products');
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ page: 1, pageSize: 20, total: listed.length });
      const expected = [...listed].sort(byCreatedDesc).slice(0, 20);
      expect(response.body.items).to.deep.equal(
        expected.map((p) => ({ id: p.id, name: p.name, price: p.price, categoryId: p.categoryId, stockStatus: 'out_of_stock', createdAt: p.createdAt })),
      );
    });

    it('when paging through with pageSize 25, then every listed product comes exactly once, in order, and drafts never', async () => {
      const seen: string[] = [];
      const pages = Math.ceil(listed.length / 25);
      for (let page = 1; page <= pages + 1; page += 1) {
        const response = await f.api.get(`/products?page=${page}&pageSize=25`);
        expect(response.body).to.include({ page, pageSize: 25, total: listed.length });
        expect(response.body.items).to.have.length(page <= pages ? Math.min(25, listed.length - (page - 1) * 25) : 0);
        seen.push(...ids(response.body.items));
      }
      expect(seen).to.deep.equal(ids([...listed].sort(byCreatedDesc)));
    });

    const sorts: Array<[string, (a: Listed, b: Listed) => number]> = [
      ['price', (a, b) => a.price.amount - b.price.amount || a.id.localeCompare(b.id)],
      ['-price', (a, b) => b.price.amount - a.price.amount || b.id.localeCompare(a.id)],
      ['name', (a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id)],
      ['-createdAt', byCreatedDesc],
    ];
    for (const [sort, compare] of sorts) {
      it(`when sorted by ${sort}, then all pages together follow that order with the id as tie-breaker`, async () => {
        const { items, total } = await allPages(`sort=${sort}`);
        expect(total).to.equal(listed.length);
        expect(ids(items)).to.deep.equal(ids([...listed].sort(compare)));
      });
    }
  });

  describe('GET /products: filters', () => {
    const inCategories = (...categoryIds: string[]) => listed.filter((p) => categoryIds.includes(p.categoryId));

    it('when filtered by a category, then products of it and of all its sub-categories, and no others', async () => {
      const cases: Array<[string, Listed[]]> = [
        [home, inCategories(home, kitchen, mugs)],
        [kitchen, inCategories(kitchen, mugs)],
        [mugs, inCategories(mugs)],
        [garden, inCategories(garden)],
      ];
      for (const [categoryId, expected] of cases) {
        const { items, total } = await allPages(`categoryId=${categoryId}`);
        expect(total).to.equal(expected.length);
        expect(ids(items)).to.deep.equal(ids([...expected].sort(byCreatedDesc)));
      }
    });

    it('when filtered by a category that does not exist, then an empty page', async () => {
      const response = await f.api.get(`/products?categoryId=${randomUUID()}`);
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({ items: [], page: 1, pageSize: 20, total: 0 });
    });

    it('when filtered by a price range (minor units, both ends included), then only prices inside it', async () => {
      const cases: Array<[string, (p: Listed) => boolean]> = [
        ['minPrice=5000', (p) => p.price.amount >= 5000],
        ['maxPrice=2500', (p) => p.price.amount <= 2500],
        ['minPrice=1000&maxPrice=3000', (p) => p.price.amount >= 1000 && p.price.amount <= 3000],
      ];
      const exact = listed[7] as Listed;
      cases.push([`minPrice=${exact.price.amount}&maxPrice=${exact.price.amount}`, (p) => p.price.amount === exact.price.amount]);
      for (const [query, inside] of cases) {
        const { items, total } = await allPages(`${query}&sort=price`);
        const expected = listed.filter(inside);
        expect(total, query).to.equal(expected.length);
        expect(new Set(ids(items)), query).to.deep.equal(new Set(ids(expected)));
      }
    });

    it('when category, price range and sort are combined, then all apply', async () => {
      const { items } = await allPages(`categoryId=${kitchen}&minPrice=2000&maxPrice=8000&sort=-price`);
      const expected = inCategories(kitchen, mugs)
        .filter((p) => p.price.amount >= 2000 && p.price.amount <= 8000)
        .sort((a, b) => b.price.amount - a.price.amount || b.id.localeCompare(a.id));
      expect(expected.length).to.be.greaterThan(5);
      expect(ids(items)).to.deep.equal(ids(expected));
    });

    it('when the query is invalid, then 400 VALIDATION_ERROR naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['sort=rating', 'sort'],
        ['pageSize=101', 'pageSize'],
        ['pageSize=0', 'pageSize'],
        ['page=0', 'page'],
        ['page=two', 'page'],
        ['minPrice=-1', 'minPrice'],
        ['maxPrice=-5', 'maxPrice'],
        ['minPrice=10.5', 'minPrice'],
        ['minPrice=500&maxPrice=100', 'maxPrice'],
        ['categoryId=kitchen', 'categoryId'],
        [`q=${'x'.repeat(201)}`, 'q'],
        ['color=red', 'color'],
        ['sort=price&sort=name', 'sort'],
      ];
      for (const [query, field] of cases) {
        const response = await f.api.get(`/products?${query}`);
        expect(response.status, query).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
        expect(response.body.error.details.fields.map((x: { field: string }) => x.field), query).to.include(field);
      }
    });
  });

  describe('GET /products: text search', () => {
    const found: Record<string, string> = {};
    before(async () => {
      const make = async (key: string, name: string, description: string, status: 'active' | 'draft' = 'active') => {
        found[key] = (await f.createProduct({ name, description, status, categoryId: garden })).id;
        if (status === 'active') listed.push((await f.api.get(`/admin/products/${found[key]}`, { token: f.admin.token })).body);
      };
      await make('mug', 'Handmade ceramic mug', 'Glazed stoneware that holds 350 ml of coffee.');
      await make('pot', 'Ceramic plant pot', 'For succulents and cacti.');
      await make('bottle', 'Steel water bottle', 'Keeps drinks cold, with a ceramic coating inside.');
      await make('glass', 'Crystal glass', 'Made for red wine.');
      await make('jug', 'Wine jug', 'Red clay, for white wine.');
      await make('draft', 'Ceramic teapot', 'Not on sale yet.', 'draft');
    });

    const cases: Array<[string, string[]]> = [
      ['ceramic', ['mug', 'pot', 'bottle']],
      ['mugs', ['mug']],
      ['COFFEE', ['mug']],
      ['"red wine"', ['glass']],
      ['red wine', ['glass', 'jug']],
      ['ceramic -bottle', ['mug', 'pot']],
      ['ceramic or crystal', ['mug', 'pot', 'bottle', 'glass']],
      ['teapot', []],
      ['nothing-like-this', []],
      // Shoppers type anything: stop words only, stray quotes and operators are no error.
      ['the', []],
      ['"ceramic', ['mug', 'pot', 'bottle']],
      ['!!! & | :*', []],
    ];
    for (const [q, expected] of cases) {
      it(`when searching for ${q}, then name and description matches of active products: [${expected.join(', ')}]`, async () => {
        const { items, total } = await allPages(`q=${encodeURIComponent(q)}`);
        expect(total).to.equal(expected.length);
        expect(new Set(ids(items))).to.deep.equal(new Set(expected.map((k) => found[k])));
      });
    }

    it('when searching within a category with a sort, then both apply', async () => {
      const { items } = await allPages(`q=ceramic&categoryId=${garden}&sort=name`);
      expect(ids(items)).to.deep.equal([found.pot, found.mug, found.bottle]);
      expect((await f.api.get(`/products?q=ceramic&categoryId=${kitchen}`)).body.total).to.equal(0);
    });

    it('when the search box is blank, then it does not filter', async () => {
      expect((await f.api.get('/products?q=%20%20')).body.total).to.equal(listed.length);
    });
  });

  describe('visibility to shoppers', () => {
    const tag = letters(Math.floor(Math.random() * 17_576));
    const word = `zebra${tag}`;
    const searchTotal = async () => (await f.api.get(`/products?q=${word}`)).body.total;

    it('when a product is a draft, activated, deactivated, activated and deleted, then shoppers see it only while active', async () => {
      const product = await f.createProduct({ name: `Striped ${word}` });
      const details = () => f.api.get(`/products/${product.id}`);
      expect(await searchTotal()).to.equal(0);
      expect((await details()).status).to.equal(404);
      expect((await details()).body.error.code).to.equal('PRODUCT_NOT_FOUND');

      await f.api.post(`/admin/products/${product.id}/activate`, undefined, { token: f.admin.token });
      expect(await searchTotal()).to.equal(1);
      expect((await details()).status).to.equal(200);

      await f.api.post(`/admin/products/${product.id}/deactivate`, undefined, { token: f.admin.token });
      expect(await searchTotal()).to.equal(0);
      expect((await details()).body.error.code).to.equal('PRODUCT_NOT_FOUND');

      await f.api.post(`/admin/products/${product.id}/activate`, undefined, { token: f.admin.token });
      await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
      expect(await searchTotal()).to.equal(0);
      expect((await details()).status).to.equal(404);
      expect((await f.api.get(`/admin/products/${product.id}`, { token: f.admin.token })).body.deletedAt).to.be.a('string');
    });

    it('when a listed product is renamed or repriced, then browsing shows the new name and price at once', async () => {
      const product = await f.createProduct({ name: `Plain ${word}x`, status: 'active', price: usd(500) });
      await f.api.patch(`/admin/products/${product.id}`, { name: `Fancy ${word}y`, price: usd(650) }, { token: f.admin.token });
      const { body } = await f.api.get(`/products?q=${word}y`);
      expect(body.items.map((p: Listed) => [p.id, p.name, p.price])).to.deep.equal([[product.id, `Fancy ${word}y`, usd(650)]]);
      expect((await f.api.get(`/products?q=plain ${word}x`)).body.total).to.equal(0);
      await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
    });
  });

  describe('GET /products/:id', () => {
    it('when the product is active, then its details with category, variants (own or product price) and stock status', async () => {
      const sku = `LAMP-${randomUUID().slice(0, 8)}`;
      const active = await f.createProduct({
        name: 'Desk lamp',
        description: 'Warm light.',
        price: usd(4500),
        categoryId: kitchen,
        status: 'active',
        variants: [
          { sku: `${sku}-B`, name: 'Black' },
          { sku: `${sku}-G`, name: 'Gold', price: usd(5200) },
        ],
      });
      const response = await f.api.get(`/products/${active.id}`);
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({
        id: active.id,
        name: 'Desk lamp',
        description: 'Warm light.',
        price: usd(4500),
        category: { id: kitchen, name: 'Kitchen' },
        status: 'active',
        variants: [
          { id: active.variants[0].id, sku: `${sku}-B`, name: 'Black', price: usd(4500), stockStatus: 'out_of_stock' },
          { id: active.variants[1].id, sku: `${sku}-G`, name: 'Gold', price: usd(5200), stockStatus: 'out_of_stock' },
        ],
        stockStatus: 'out_of_stock',
        createdAt: active.createdAt,
        updatedAt: active.updatedAt,
      });
      await f.api.delete(`/admin/products/${active.id}`, { token: f.admin.token });
    });

    it('when the product does not exist, then 404 PRODUCT_NOT_FOUND; a malformed id, 400 VALIDATION_ERROR', async () => {
      const missing = await f.api.get(`/products/${randomUUID()}`);
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('PRODUCT_NOT_FOUND');
      const malformed = await f.api.get('/products/not-a-uuid');
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });
});
