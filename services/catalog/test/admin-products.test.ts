import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startTokenIssuer } from '@shop/testkit';
import { startCatalogFixture, uniqueName, usd, type CatalogFixture } from './catalog.fixture';

describe('catalog service: product administration', function () {
  this.timeout(30_000);
  let f: CatalogFixture;
  before(async () => {
    f = await startCatalogFixture();
  });
  after(() => f.stop());

  const errorCode = (response: { body: { error?: { code?: string } } }) => response.body.error?.code;

  describe('POST /admin/products', () => {
    it('when the product has no variants, then 201 as a draft with one default variant, and product.created tells the inventory', async () => {
      const name = uniqueName('Ceramic Mug');
      const response = await f.api.post(
        '/admin/products',
        { name: ` ${name} `, description: 'Holds coffee.', price: usd(1250), categoryId: f.categoryId, initialStock: 7 },
        { token: f.admin.token },
      );
      expect(response.status).to.equal(201);
      const product = response.body;
      expect(product).to.deep.include({
        name,
        description: 'Holds coffee.',
        price: usd(1250),
        categoryId: f.categoryId,
        status: 'draft',
        stockStatus: 'out_of_stock',
        createdBy: f.admin.customerId,
        deletedAt: null,
      });
      expect(product.variants).to.have.length(1);
      expect(product.variants[0]).to.include({ name: 'Default' });
      expect(product.variants[0].sku).to.match(/^CERAMIC-MUG-[0-9A-F]{8}-[0-9A-F]{6}$/);
      expect(product.variants[0].price).to.deep.equal(usd(1250));

      const [event] = (await f.events('product.created')).filter((e) => e.data.productId === product.id);
      expect(event?.data).to.deep.equal({
        productId: product.id,
        name,
        description: 'Holds coffee.',
        price: usd(1250),
        categoryId: f.categoryId,
        status: 'draft',
        variants: [{ variantId: product.variants[0].id, sku: product.variants[0].sku, name: 'Default', price: usd(1250) }],
        initialStock: 7,
        createdBy: f.admin.customerId,
        createdAt: product.createdAt,
      });
    });

    it('when variants are given, some with their own price, then each keeps its SKU and effective price, in order', async () => {
      const tag = randomUUID().slice(0, 6);
      const product = await f.createProduct({
        price: usd(2000),
        status: 'active',
        variants: [
          { sku: `TEE-S-${tag}`, name: 'Small' },
          { sku: `TEE-XL-${tag}`, name: 'Extra large', price: usd(2400) },
        ],
      });
      expect(product.status).to.equal('active');
      expect(product.variants.map((v: { sku: string; name: string; price: unknown }) => [v.sku, v.name, v.price])).to.deep.equal([
        [`TEE-S-${tag}`, 'Small', usd(2000)],
        [`TEE-XL-${tag}`, 'Extra large', usd(2400)],
      ]);
      const [event] = (await f.events('product.created')).filter((e) => e.data.productId === product.id);
      expect(event?.data.initialStock).to.equal(0);
      expect(event?.data.status).to.equal('active');
      expect(event?.data.variants.map((v: { price: { amount: number } }) => v.price.amount)).to.deep.equal([2000, 2400]);
    });

    it('when the price is below 0.01 (0 or negative), or a variant price is, then 422 INVALID_PRICE and nothing is created', async () => {
      const before = (await f.events('product.created')).length;
      for (const overrides of [
        { price: usd(0) },
        { price: usd(-100) },
        { variants: [{ sku: `V-${randomUUID().slice(0, 8)}`, name: 'Free', price: usd(0) }] },
      ]) {
        const response = await f.api.post(
          '/admin/products',
          { name: uniqueName(), description: '', price: usd(100), categoryId: f.categoryId, ...overrides },
          { token: f.admin.token },
        );
        expect(response.status, JSON.stringify(overrides)).to.equal(422);
        expect(errorCode(response)).to.equal('INVALID_PRICE');
      }
      expect((await f.events('product.created')).length).to.equal(before);
    });

    it('when the amount is not an integer of minor units, or the currency is not the shop currency, then 400 VALIDATION_ERROR', async () => {
      for (const price of [usd(19.99), { amount: 1999, currency: 'EUR' }, { amount: '1999', currency: 'USD' }, { amount: 1999 }, 1999]) {
        const response = await f.api.post('/admin/products', { name: uniqueName(), description: '', price, categoryId: f.categoryId }, { token: f.admin.token });
        expect(response.status, JSON.stringify(price)).to.equal(400);
        expect(errorCode(response)).to.equal('VALIDATION_ERROR');
      }
    });

    it('when the name has fewer than 2 or more than 200 characters once trimmed, then 422 INVALID_PRODUCT_NAME', async () => {
      for (const name of ['', 'a', '   a   ', 'x'.repeat(201)]) {
        const response = await f.api.post('/admin/products', { name, description: '', price: usd(100), categoryId: f.categoryId }, { token: f.admin.token });
        expect(response.status, `${name.length} characters`).to.equal(422);
        expect(errorCode(response)).to.equal('INVALID_PRODUCT_NAME');
      }
      const longest = await f.createProduct({ name: `${randomUUID()}${'x'.repeat(164)}` });
      expect(longest.name).to.have.length(200);
    });

    it('when the description has more than 5000 characters, then 422 DESCRIPTION_TOO_LONG; 5000 is fine', async () => {
      const response = await f.api.post(
        '/admin/products',
        { name: uniqueName(), description: 'd'.repeat(5001), price: usd(100), categoryId: f.categoryId },
        { token: f.admin.token },
      );
      expect(response.status).to.equal(422);
      expect(response.body.error).to.deep.include({ code: 'DESCRIPTION_TOO_LONG', details: { max: 5000, length: 5001 } });
      expect((await f.createProduct({ description: 'd'.repeat(5000) })).description).to.have.length(5000);
    });

    it('when the category does not exist, then 404 CATEGORY_NOT_FOUND', async () => {
      const response = await f.api.post('/admin/products', { name: uniqueName(), description: '', price: usd(100), categoryId: randomUUID() }, { token: f.admin.token });
      expect(response.status).to.equal(404);
      expect(errorCode(response)).to.equal('CATEGORY_NOT_FOUND');
    });

    it('when a SKU is already used (in any letter case), then 409 SKU_TAKEN naming it, and nothing is created', async () => {
      const sku = `MUG-${randomUUID().slice(0, 8)}`;
      await f.createProduct({ variants: [{ sku, name: 'Only' }] });
      const before = (await f.events('product.created')).length;
      const response = await f.api.post(
        '/admin/products',
        { name: uniqueName(), description: '', price: usd(100), categoryId: f.categoryId, variants: [{ sku: `NEW-${sku}`, name: 'A' }, { sku: sku.toLowerCase(), name: 'B' }] },
        { token: f.admin.token },
      );
      expect(response.status).to.equal(409);
      expect(response.body.error).to.deep.include({ code: 'SKU_TAKEN', details: { skus: [sku] } });
      expect((await f.events('product.created')).length).to.equal(before);
    });

    it('when two variants of one request share a SKU, then 409 SKU_TAKEN', async () => {
      const sku = `DUP-${randomUUID().slice(0, 8)}`;
      const response = await f.api.post(
        '/admin/products',
        { name: uniqueName(), description: '', price: usd(100), categoryId: f.categoryId, variants: [{ sku, name: 'A' }, { sku: sku.toLowerCase(), name: 'B' }] },
        { token: f.admin.token },
      );
      expect(response.status).to.equal(409);
      expect(errorCode(response)).to.equal('SKU_TAKEN');
    });

    it('when two products claim one SKU at once, then exactly one is created', async () => {
      const sku = `RACE-${randomUUID().slice(0, 8)}`;
      const body = () => ({ name: uniqueName(), description: '', price: usd(100), categoryId: f.categoryId, variants: [{ sku, name: 'A' }] });
      const statuses = await Promise.all([1, 2, 3].map(() => f.api.post('/admin/products', body(), { token: f.admin.token }).then((r) => r.status)));
      expect(statuses.sort()).to.deep.equal([201, 409, 409]);
    });

    it('when a field is missing, malformed or unknown, then 400 VALIDATION_ERROR naming it', async () => {
      const valid = { name: uniqueName(), description: '', price: usd(100), categoryId: f.categoryId };
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...valid, description: undefined }, 'description'],
        [{ ...valid, categoryId: 'kitchen' }, 'categoryId'],
        [{ ...valid, initialStock: -1 }, 'initialStock'],
        [{ ...valid, initialStock: 2.5 }, 'initialStock'],
        [{ ...valid, status: 'inactive' }, 'status'],
        [{ ...valid, variants: [{ sku: 'NO-NAME' }] }, 'variants.0.name'],
        [{ ...valid, variants: [{ sku: 'has space', name: 'A' }] }, 'variants.0.sku'],
        [{ ...valid, variants: [{ sku: 'OK-1', name: '  ' }] }, 'variants.0.name'],
        [{ ...valid, variants: [{ sku: 'OK-2', name: 'A', price: { amount: 5, currency: 'EUR' } }] }, 'variants.0.price.currency'],
        [{ ...valid, color: 'red' }, 'color'],
      ];
      for (const [body, field] of cases) {
        const response = await f.api.post('/admin/products', body, { token: f.admin.token });
        expect(response.status, field).to.equal(400);
        expect(errorCode(response)).to.equal('VALIDATION_ERROR');
        expect(response.body.error.details.fields.map((x: { field: string }) => x.field)).to.include(field);
      }
    });
  });

  describe('PATCH /admin/products/:id', () => {
    it('when the name and description change, then 200 with them and product.updated lists only what changed', async () => {
      const product = await f.createProduct({ description: 'Old text' });
      const name = uniqueName('Renamed');
      const response = await f.api.patch(`/admin/products/${product.id}`, { name, description: 'New text', price: product.price }, { token: f.admin.token });
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ name, description: 'New text', price: product.price, updatedBy: f.admin.customerId });
      const [event] = (await f.events('product.updated')).filter((e) => e.data.productId === product.id);
      expect(event?.data.changedFields).to.deep.equal({ name, description: 'New text' });
      expect(event?.data.updatedBy).to.equal(f.admin.customerId);
      expect((await f.api.get(`/admin/products/${product.id}/price-audit`, { token: f.admin.token })).body.items).to.deep.equal([]);
    });

    it('when the price changes, then it is audited (who, when, old, new) and product.updated carries the new variant prices', async () => {
      const tag = randomUUID().slice(0, 6);
      const product = await f.createProduct({
        price: usd(1000),
        variants: [
          { sku: `P-A-${tag}`, name: 'Follows the product' },
          { sku: `P-B-${tag}`, name: 'Own price', price: usd(1500) },
        ],
      });
      const otherAdmin = randomUUID();
      const otherToken = await f.issuer.token({ role: 'admin', customerId: otherAdmin });

      const first = await f.api.patch(`/admin/products/${product.id}`, { price: usd(1200) }, { token: f.admin.token });
      expect(first.status).to.equal(200);
      expect(first.body.price).to.deep.equal(usd(1200));
      expect(first.body.variants.map((v: { price: { amount: number } }) => v.price.amount)).to.deep.equal([1200, 1500]);
      await f.api.patch(`/admin/products/${product.id}`, { price: usd(900) }, { token: otherToken });

      const audit = await f.api.get(`/admin/products/${product.id}/price-audit`, { token: f.admin.token });
      expect(audit.status).to.equal(200);
      expect(audit.body.total).to.equal(2);
      expect(audit.body.items.map((i: Record<string, unknown>) => [i.changedBy, i.oldPrice, i.newPrice])).to.deep.equal([
        [otherAdmin, usd(1200), usd(900)],
        [f.admin.customerId, usd(1000), usd(1200)],
      ]);
      expect(Date.parse(audit.body.items[0].changedAt)).to.be.at.least(Date.parse(audit.body.items[1].changedAt));

      const events = (await f.events('product.updated')).filter((e) => e.data.productId === product.id);
      expect(events.map((e) => e.data.changedFields)).to.deep.equal([{ price: usd(1200) }, { price: usd(900) }]);
      expect(events[1]?.data.variants.map((v: { sku: string; price: { amount: number } }) => [v.sku, v.price.amount])).to.deep.equal([
        [`P-A-${tag}`, 900],
        [`P-B-${tag}`, 1500],
      ]);
    });

    it('when nothing actually changes, then 200 with the product, no audit entry and no event', async () => {
      const product = await f.createProduct();
      const response = await f.api.patch(`/admin/products/${product.id}`, { name: product.name, price: product.price }, { token: f.admin.token });
      expect(response.status).to.equal(200);
      expect(response.body.updatedAt).to.equal(product.updatedAt);
      expect((await f.events('product.updated')).filter((e) => e.data.productId === product.id)).to.deep.equal([]);
      expect((await f.api.get(`/admin/products/${product.id}/price-audit`, { token: f.admin.token })).body.total).to.equal(0);
    });

    it('when a new value breaks a rule, then 422 with its code and the product is unchanged', async () => {
      const product = await f.createProduct();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ price: usd(0) }, 'INVALID_PRICE'],
        [{ name: 'x' }, 'INVALID_PRODUCT_NAME'],
        [{ description: 'd'.repeat(5001) }, 'DESCRIPTION_TOO_LONG'],
      ];
      for (const [body, code] of cases) {
        const response = await f.api.patch(`/admin/products/${product.id}`, body, { token: f.admin.token });
        expect(response.status, code).to.equal(422);
        expect(errorCode(response)).to.equal(code);
      }
      const current = await f.api.get(`/admin/products/${product.id}`, { token: f.admin.token });
      expect(current.body).to.deep.equal(product);
    });

    it('when the body is empty, unknown or malformed, then 400 VALIDATION_ERROR', async () => {
      const product = await f.createProduct();
      for (const body of [{}, { status: 'active' }, { price: usd(1.5) }, { price: { amount: 100, currency: 'GBP' } }]) {
        const response = await f.api.patch(`/admin/products/${product.id}`, body, { token: f.admin.token });
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(errorCode(response)).to.equal('VALIDATION_ERROR');
      }
    });

    it('when the product does not exist or was deleted, then 404 PRODUCT_NOT_FOUND; a malformed id, 400', async () => {
      const missing = await f.api.patch(`/admin/products/${randomUUID()}`, { price: usd(100) }, { token: f.admin.token });
      expect(missing.status).to.equal(404);
      expect(errorCode(missing)).to.equal('PRODUCT_NOT_FOUND');
      const product = await f.createProduct();
      await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
      const deleted = await f.api.patch(`/admin/products/${product.id}`, { price: usd(100) }, { token: f.admin.token });
      expect(deleted.status).to.equal(404);
      expect(errorCode(deleted)).to.equal('PRODUCT_NOT_FOUND');
      expect((await f.api.patch('/admin/products/123', { price: usd(100) }, { token: f.admin.token })).status).to.equal(400);
    });
  });

  describe('GET /admin/products/:id/price-audit', () => {
    it('when the product does not exist, then 404 PRODUCT_NOT_FOUND', async () => {
      const response = await f.api.get(`/admin/products/${randomUUID()}/price-audit`, { token: f.admin.token });
      expect(response.status).to.equal(404);
      expect(errorCode(response)).to.equal('PRODUCT_NOT_FOUND');
    });

    it('when the product was deleted, then its audit trail is still there', async () => {
      const product = await f.createProduct({ price: usd(300) });
      await f.api.patch(`/admin/products/${product.id}`, { price: usd(350) }, { token: f.admin.token });
      await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
      const audit = await f.api.get(`/admin/products/${product.id}/price-audit`, { token: f.admin.token });
      expect(audit.body.items.map((i: { newPrice: unknown }) => i.newPrice)).to.deep.equal([usd(350)]);
    });
  });

  describe('POST /admin/products/:id/activate and /deactivate', () => {
    it('when a draft is activated, then 200 active and product.activated; activating again changes nothing and emits nothing', async () => {
      const product = await f.createProduct();
      const first = await f.api.post(`/admin/products/${product.id}/activate`, undefined, { token: f.admin.token });
      expect(first.status).to.equal(200);
      expect(first.body.status).to.equal('active');
      const second = await f.api.post(`/admin/products/${product.id}/activate`, undefined, { token: f.admin.token });
      expect(second.status).to.equal(200);
      expect(second.body).to.deep.equal(first.body);
      const events = (await f.events('product.activated')).filter((e) => e.data.productId === product.id);
      expect(events.map((e) => e.data)).to.deep.equal([
        { productId: product.id, variantIds: [product.variants[0].id], activatedBy: f.admin.customerId, activatedAt: first.body.updatedAt },
      ]);
    });

    it('when an active product is deactivated, then inactive and product.deactivated once; it can be activated again', async () => {
      const product = await f.createProduct({ status: 'active' });
      const first = await f.api.post(`/admin/products/${product.id}/deactivate`, undefined, { token: f.admin.token });
      expect(first.body.status).to.equal('inactive');
      const again = await f.api.post(`/admin/products/${product.id}/deactivate`, undefined, { token: f.admin.token });
      expect(again.status).to.equal(200);
      expect(again.body.status).to.equal('inactive');
      expect((await f.events('product.deactivated')).filter((e) => e.data.productId === product.id)).to.have.length(1);
      expect((await f.api.post(`/admin/products/${product.id}/activate`, undefined, { token: f.admin.token })).body.status).to.equal('active');
    });

    it('when a draft is deactivated, then it stays a draft (it never was on sale) and nothing is emitted', async () => {
      const product = await f.createProduct();
      const response = await f.api.post(`/admin/products/${product.id}/deactivate`, undefined, { token: f.admin.token });
      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('draft');
      expect((await f.events('product.deactivated')).filter((e) => e.data.productId === product.id)).to.deep.equal([]);
    });

    it('when the product does not exist or was deleted, then 404 PRODUCT_NOT_FOUND', async () => {
      const product = await f.createProduct();
      await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
      for (const id of [randomUUID(), product.id]) {
        for (const action of ['activate', 'deactivate']) {
          const response = await f.api.post(`/admin/products/${id}/${action}`, undefined, { token: f.admin.token });
          expect(response.status, action).to.equal(404);
          expect(errorCode(response)).to.equal('PRODUCT_NOT_FOUND');
        }
      }
    });
  });

  describe('DELETE /admin/products/:id', () => {
    it('when a product is deleted, then 204, product.deleted, admins still see it with deletedAt; deleting again is 404', async () => {
      const product = await f.createProduct({ status: 'active' });
      const response = await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
      expect(response.status).to.equal(204);
      expect(response.body).to.equal(undefined);

      const [event] = (await f.events('product.deleted')).filter((e) => e.data.productId === product.id);
      expect(event?.data).to.deep.include({ productId: product.id, variantIds: [product.variants[0].id], deletedBy: f.admin.customerId });

      const admin = await f.api.get(`/admin/products/${product.id}`, { token: f.admin.token });
      expect(admin.status).to.equal(200);
      expect(admin.body.deletedAt).to.equal(event?.data.deletedAt);
      expect(admin.body.status).to.equal('active');

      const again = await f.api.delete(`/admin/products/${product.id}`, { token: f.admin.token });
      expect(again.status).to.equal(404);
      expect(errorCode(again)).to.equal('PRODUCT_NOT_FOUND');
      expect((await f.events('product.deleted')).filter((e) => e.data.productId === product.id)).to.have.length(1);
    });

    it('when the product does not exist, then 404 PRODUCT_NOT_FOUND; a malformed id, 400', async () => {
      expect(errorCode(await f.api.delete(`/admin/products/${randomUUID()}`, { token: f.admin.token }))).to.equal('PRODUCT_NOT_FOUND');
      expect((await f.api.delete('/admin/products/x', { token: f.admin.token })).status).to.equal(400);
    });
  });

  describe('GET /admin/products and /admin/products/:id', () => {
    it('when an admin lists by status, then only those come, newest first; deleted ones only when asked for', async () => {
      const fresh = await startCatalogFixture();
      try {
        const draft = await fresh.createProduct();
        const active = await fresh.createProduct({ status: 'active' });
        const gone = await fresh.createProduct({ status: 'active' });
        await fresh.api.delete(`/admin/products/${gone.id}`, { token: fresh.admin.token });
        const ids = async (query: string) => {
          const response = await fresh.api.get(`/admin/products${query}`, { token: fresh.admin.token });
          expect(response.status, query).to.equal(200);
          return [response.body.total, response.body.items.map((p: { id: string }) => p.id)];
        };
        expect(await ids('')).to.deep.equal([2, [active.id, draft.id]]);
        expect(await ids('?status=draft')).to.deep.equal([1, [draft.id]]);
        expect(await ids('?status=active')).to.deep.equal([1, [active.id]]);
        expect(await ids('?status=deleted')).to.deep.equal([1, [gone.id]]);
        expect(await ids('?page=2&pageSize=1')).to.deep.equal([2, [draft.id]]);
        expect((await fresh.api.get('/admin/products?status=gone', { token: fresh.admin.token })).status).to.equal(400);
      } finally {
        await fresh.stop();
      }
    });

    it('when the product does not exist, then 404 PRODUCT_NOT_FOUND', async () => {
      const response = await f.api.get(`/admin/products/${randomUUID()}`, { token: f.admin.token });
      expect(response.status).to.equal(404);
      expect(errorCode(response)).to.equal('PRODUCT_NOT_FOUND');
    });
  });

  describe('admin routes need an admin', () => {
    const routes = (id: string): Array<[string, string, unknown?]> => [
      ['GET', '/admin/products'],
      ['POST', '/admin/products', { name: 'Mug', description: '', price: usd(100), categoryId: randomUUID() }],
      ['GET', `/admin/products/${id}`],
      ['PATCH', `/admin/products/${id}`, { price: usd(100) }],
      ['DELETE', `/admin/products/${id}`],
      ['POST', `/admin/products/${id}/activate`],
      ['POST', `/admin/products/${id}/deactivate`],
      ['GET', `/admin/products/${id}/price-audit`],
      ['POST', '/admin/categories', { name: uniqueName() }],
    ];

    it('when there is no token, then 401 UNAUTHORIZED on every admin route', async () => {
      const product = await f.createProduct();
      for (const [method, path, body] of routes(product.id)) {
        const response = await f.api.call(method, path, { body });
        expect(response.status, `${method} ${path}`).to.equal(401);
        expect(errorCode(response)).to.equal('UNAUTHORIZED');
      }
    });

    it('when a customer calls, then 403 FORBIDDEN on every admin route and nothing changes', async () => {
      const product = await f.createProduct();
      for (const [method, path, body] of routes(product.id)) {
        const response = await f.api.call(method, path, { body, token: f.customerToken });
        expect(response.status, `${method} ${path}`).to.equal(403);
        expect(errorCode(response)).to.equal('FORBIDDEN');
      }
      expect((await f.api.get(`/admin/products/${product.id}`, { token: f.admin.token })).body).to.deep.equal(product);
    });

    it('when the admin token is signed by a key the JWKS does not have, then 401', async () => {
      const other = await startTokenIssuer();
      try {
        const foreign = await other.token({ role: 'admin' });
        expect((await f.api.get('/admin/products', { token: foreign })).status).to.equal(401);
      } finally {
        await other.close();
      }
    });
  });
});
