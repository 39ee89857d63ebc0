import { expect } from 'chai';
import { startCatalogFixture, type CatalogFixture } from './catalog.fixture';

/** Strings PostgreSQL cannot store (NUL) or a client cannot print (a lone surrogate): refused as bad input, never a 5xx. */
describe('catalog service: text with NUL characters or unpaired surrogates', function () {
  this.timeout(30_000);
  let f: CatalogFixture;
  before(async () => {
    f = await startCatalogFixture();
  });
  after(() => f.stop());

  for (const [what, bad] of [
    ['a NUL character', 'Tea\u0000pot'],
    ['an unpaired surrogate', 'Tea\ud83dpot'],
  ] as const) {
    it(`when a category name, a product name, description or variant name, or a search holds ${what}, then 400 VALIDATION_ERROR and nothing is written`, async () => {
      const admin = { token: f.admin.token };
      const product = { name: 'Teapot', description: 'Brews tea.', price: { amount: 2500, currency: 'USD' }, categoryId: f.categoryId };
      const before = (await f.api.get('/admin/products?pageSize=100', admin)).body.total;
      const answers = await Promise.all([
        f.api.post('/admin/categories', { name: bad }, admin),
        f.api.post('/admin/products', { ...product, name: bad }, admin),
        f.api.post('/admin/products', { ...product, description: bad }, admin),
        f.api.post('/admin/products', { ...product, variants: [{ sku: 'TP-1', name: bad }] }, admin),
        // UTF-8 in a URL cannot carry a lone surrogate; a NUL it can.
        f.api.get('/products?q=Tea%00pot'),
      ]);
      expect(answers.map((a) => a.status)).to.deep.equal([400, 400, 400, 400, 400]);
      expect(answers.map((a) => a.body.error.code)).to.deep.equal(Array(5).fill('VALIDATION_ERROR'));
      expect((await f.api.get('/admin/products?pageSize=100', admin)).body.total).to.equal(before);
    });
  }

  it('when an existing product is renamed with a NUL character, then 400 VALIDATION_ERROR and the name stays', async () => {
    const created = await f.createProduct({ name: 'Kettle' });
    const response = await f.api.patch(`/admin/products/${created.id}`, { name: 'Ket\u0000tle' }, { token: f.admin.token });
    expect(response.status).to.equal(400);
    expect((await f.api.get(`/admin/products/${created.id}`, { token: f.admin.token })).body.name).to.equal('Kettle');
  });
});
