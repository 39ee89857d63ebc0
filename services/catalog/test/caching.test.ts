import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { subscriptions } from '@shop/contracts';
import { eventually } from '@shop/testkit';
import type { RunningCatalogService } from '../src/service';
import { startCatalogFixture, stockChanged, usd, type CatalogFixture, type CatalogReplica } from './catalog.fixture';

describe('catalog service: shopper answers from memory, with ETags', function () {
  this.timeout(30_000);
  let f: CatalogFixture;
  let replica: CatalogReplica;
  before(async () => {
    f = await startCatalogFixture();
    replica = await f.startReplica();
  });
  after(() => f.stop());

  const stats = (service: RunningCatalogService = f.service) => service.deps.answers.stats();
  const get = (path: string, headers: Record<string, string> = {}, service: RunningCatalogService = f.service) => fetch(`${service.url}${path}`, { headers });
  const json = (response: Response): Promise<any> => response.json();
  const sha1 = (bytes: Buffer) => `"${createHash('sha1').update(bytes).digest('base64url')}"`;

  /** An active product, once both replicas have heard of its commit (a late notification would drop what a test has just kept). */
  async function activeProduct(overrides: Record<string, unknown> = {}) {
    const product = await f.createProduct({ status: 'active', ...overrides });
    await heardEverythingUntilNow(f.service, replica.service);
    return { id: product.id as string, variant: { variantId: product.variants[0].id as string, productId: product.id as string } };
  }

  /** Whether the stock consumer has taken the event in (applied, or found older than what it has). */
  const processed = async (eventId: string) =>
    ((await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE consumer = ${subscriptions.catalogStockLevels.queue} AND event_id = ${eventId}`.execute(f.service.deps.db)).rows[0]?.n ?? 0) > 0;

  /** Resolves once each replica has confirmed its change channel after now: every change committed before has been heard. */
  async function heardEverythingUntilNow(...services: RunningCatalogService[]) {
    for (const service of services) {
      const mark = service.deps.answers.now();
      await eventually(() => stats(service).confirmedAt > mark, 5_000, 'a confirmation of the change channel');
    }
  }

  describe('from memory', () => {
    it('when a product page is asked for twice, then the second answer is the same bytes and ETag, from memory: no second read', async () => {
      const { id } = await activeProduct();
      const first = await get(`/products/${id}`);
      const firstBody = Buffer.from(await first.arrayBuffer());
      const before = stats();

      const second = await get(`/products/${id}`);
      const secondBody = Buffer.from(await second.arrayBuffer());
      expect(second.status).to.equal(200);
      expect(secondBody.equals(firstBody)).to.equal(true);
      expect(second.headers.get('etag')).to.equal(first.headers.get('etag'));
      expect(stats().loads).to.equal(before.loads);
      expect(stats().hits).to.equal(before.hits + 1);
    });

    it('when one listing is spelled in several ways (defaults given or not, in another order), then it is read once', async () => {
      const category = await f.createCategory();
      await activeProduct({ categoryId: category.id });
      const before = stats();
      const spellings = [
        `/products?categoryId=${category.id}`,
        `/products?categoryId=${category.id}&page=1`,
        `/products?pageSize=20&sort=-createdAt&categoryId=${category.id.toUpperCase()}`,
        `/products?q=&categoryId=${category.id}`,
      ];
      const bodies = [];
      for (const spelling of spellings) {
        const response = await get(spelling);
        expect(response.status, spelling).to.equal(200);
        bodies.push(await response.text());
      }
      expect(new Set(bodies).size).to.equal(1);
      expect(JSON.parse(bodies[0] as string).total).to.equal(1);
      expect(stats().loads - before.loads).to.equal(1);
    });

    it('when the category tree is asked for twice, then it is read once; a new category is in the next answer', async () => {
      await heardEverythingUntilNow(f.service);
      await get('/categories');
      const before = stats();
      await get('/categories');
      expect(stats().loads).to.equal(before.loads);

      const category = await f.createCategory();
      const { items } = (await (await get('/categories')).json()) as { items: Array<{ id: string }> };
      expect(items.map((c) => c.id)).to.include(category.id);
    });
  });

  describe('ETag, Cache-Control and If-None-Match', () => {
    it('when a shopper reads, then the answer has one strong ETag, the hash of its bytes, and Cache-Control public, no-cache', async () => {
      const { id } = await activeProduct();
      for (const path of [`/products/${id}`, '/products?sort=price', '/categories']) {
        const response = await get(path);
        const body = Buffer.from(await response.arrayBuffer());
        expect(response.headers.get('etag'), path).to.equal(sha1(body));
        expect(response.headers.get('cache-control'), path).to.equal('public, no-cache');
        expect(response.headers.get('content-type'), path).to.equal('application/json; charset=utf-8');
        expect(Number(response.headers.get('content-length')), path).to.equal(body.length);
      }
    });

    it('when the client sends the ETag it has (alone, weak, in a list, or *), then 304 with the ETag and no body; with another one, 200 and the body', async () => {
      const { id } = await activeProduct();
      const etag = (await get(`/products/${id}`)).headers.get('etag') as string;
      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const response = await get(`/products/${id}`, { 'if-none-match': ifNoneMatch });
        expect(response.status, ifNoneMatch).to.equal(304);
        expect(response.headers.get('etag')).to.equal(etag);
        expect(response.headers.get('cache-control')).to.equal('public, no-cache');
        expect(await response.text()).to.equal('');
      }
      const other = await get(`/products/${id}`, { 'if-none-match': '"something-else"' });
      expect(other.status).to.equal(200);
      expect((await json(other)).id).to.equal(id);
    });

    it('when the answer is not in memory yet, then If-None-Match is still honoured (the same ETag from a fresh read, also on another replica)', async () => {
      const { id } = await activeProduct();
      const etag = (await get(`/products/${id}`)).headers.get('etag') as string;
      f.service.deps.answers.invalidate();
      expect((await get(`/products/${id}`, { 'if-none-match': etag })).status).to.equal(304);
      expect((await get(`/products/${id}`, { 'if-none-match': etag }, replica.service)).status).to.equal(304);
    });
  });

  describe('invalid requests', () => {
    it('when a query or id is invalid, then 400 VALIDATION_ERROR naming the field, every time, also once valid spellings are in memory, and nothing is read', async () => {
      expect((await get('/products?pageSize=5')).status).to.equal(200);
      const before = stats();
      for (const [path, field] of [
        ['/products?pageSize=1000', 'pageSize'],
        ['/products?pageSize=5&minPrice=-1', 'minPrice'],
        ['/products?sort=cheapest', 'sort'],
        ['/products?minPrice=500&maxPrice=100', 'maxPrice'],
        ['/products?q=a%00b', 'q'],
        ['/products/not-a-uuid', 'id'],
      ] as const) {
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const response = await f.api.get(path);
          expect(response.status, path).to.equal(400);
          expect(response.body.error.code, path).to.equal('VALIDATION_ERROR');
          expect(response.body.error.details.fields.map((x: { field: string }) => x.field), path).to.include(field);
        }
      }
      expect(stats().loads).to.equal(before.loads);
    });

    it('when a product is not listed, then 404 PRODUCT_NOT_FOUND is never kept: once activated, it is found at once', async () => {
      const draft = await f.createProduct();
      expect((await f.api.get(`/products/${draft.id}`)).status).to.equal(404);
      expect((await f.api.get(`/products/${draft.id}`)).status).to.equal(404);
      await f.api.post(`/admin/products/${draft.id}/activate`, undefined, { token: f.admin.token });
      expect((await f.api.get(`/products/${draft.id}`)).status).to.equal(200);
    });
  });

  describe('invalidation', () => {
    it('when an admin changes the price, then the next answer has it, under a new ETag, and the old ETag gets the new body', async () => {
      const category = await f.createCategory();
      const { id } = await activeProduct({ categoryId: category.id, price: usd(1000) });
      const page = await get(`/products/${id}`);
      const oldEtag = page.headers.get('etag') as string;
      await get(`/products?categoryId=${category.id}`);

      const patched = await f.api.patch(`/admin/products/${id}`, { price: usd(1200) }, { token: f.admin.token });
      expect(patched.status).to.equal(200);

      const after = await get(`/products/${id}`, { 'if-none-match': oldEtag });
      expect(after.status).to.equal(200);
      expect(after.headers.get('etag')).not.to.equal(oldEtag);
      expect((await json(after)).price).to.deep.equal(usd(1200));
      const listed = (await (await get(`/products?categoryId=${category.id}`)).json()) as { items: Array<{ price: unknown }> };
      expect(listed.items[0]?.price).to.deep.equal(usd(1200));
    });

    it("when the inventory's event changes a stock status, then the answers follow; when it changes only the quantity, they are kept", async () => {
      const { id, variant } = await activeProduct();
      const inStock = stockChanged(variant, { stockVersion: 1, available: 20 });
      await f.publish(inStock);
      await eventually(async () => ((await (await get(`/products/${id}`)).json()) as { stockStatus: string }).stockStatus === 'in_stock', 10_000, 'in_stock');

      await get(`/products/${id}`);
      const kept = stats();
      const quantityOnly = stockChanged(variant, { stockVersion: 2, available: 19 });
      await f.publish(quantityOnly);
      await eventually(() => processed(quantityOnly.id), 10_000, 'the quantity-only event to be consumed');
      await heardEverythingUntilNow(f.service);
      expect(stats().invalidations).to.equal(kept.invalidations);
      await get(`/products/${id}`);
      expect(stats().loads).to.equal(kept.loads);

      await f.publish(stockChanged(variant, { stockVersion: 3, available: 0 }));
      await eventually(async () => ((await (await get(`/products/${id}`)).json()) as { stockStatus: string }).stockStatus === 'out_of_stock', 10_000, 'out_of_stock');
      expect(stats().invalidations).to.be.greaterThan(kept.invalidations);
    });
  });

  describe('two replicas on one database', () => {
    it('when a price changes through one replica, then the other, which kept the old answer, drops it on the notification and shows the new price', async () => {
      const { id } = await activeProduct({ price: usd(3000) });
      await get(`/products/${id}`, {}, replica.service);
      const before = stats(replica.service);
      expect((await get(`/products/${id}`, {}, replica.service)).status).to.equal(200);
      expect(stats(replica.service).hits).to.equal(before.hits + 1);

      await f.api.patch(`/admin/products/${id}`, { price: usd(3300) }, { token: f.admin.token });
      await eventually(async () => ((await replica.api.get(`/products/${id}`)).body.price.amount as number) === 3300, 5_000, 'the new price on the other replica');
      expect(stats(replica.service).invalidations).to.be.greaterThan(before.invalidations);
    });

    it('when a change is made by hand in SQL, outside the service, then every replica hears it', async () => {
      const { id } = await activeProduct();
      await get(`/products/${id}`);
      await get(`/products/${id}`, {}, replica.service);
      const name = `Renamed by hand ${randomUUID().slice(0, 6)}`;
      await sql`UPDATE products SET name = ${name} WHERE id = ${id}`.execute(f.service.deps.db);
      for (const service of [f.service, replica.service]) {
        await eventually(async () => ((await (await get(`/products/${id}`, {}, service)).json()) as { name: string }).name === name, 5_000, 'the new name');
      }
    });

    it('when the listening connections are cut, then each replica listens again, drops what it kept (changes may have been missed), and hears later changes', async () => {
      const { id } = await activeProduct();
      await get(`/products/${id}`, {}, replica.service);
      const before = stats(replica.service);
      const { rows } = await sql<{ cut: boolean }>`
        SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity
        WHERE application_name = 'catalog change listener' AND datname = current_database()`.execute(f.service.deps.db);
      expect(rows.length).to.be.at.least(2);
      await eventually(() => stats(replica.service).invalidations > before.invalidations, 10_000, 'the replica to listen again');
      await heardEverythingUntilNow(f.service, replica.service);

      await get(`/products/${id}`, {}, replica.service);
      const name = `After the cut ${randomUUID().slice(0, 6)}`;
      await sql`UPDATE products SET name = ${name} WHERE id = ${id}`.execute(f.service.deps.db);
      await eventually(async () => (await replica.api.get(`/products/${id}`)).body.name === name, 5_000, 'the change after the cut');
    });
  });
});
