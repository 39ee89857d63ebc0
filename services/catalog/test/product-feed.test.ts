import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { outboxEvents } from '@shop/testkit';
import { startCatalogFixture, usd, type CatalogFixture } from './catalog.fixture';

interface FeedPage {
  items: Array<{ productId: string; name: string; status: string; deleted: boolean; price: unknown; variants: Array<Record<string, unknown>>; version: number }>;
  next: string | null;
}

describe('GET /internal/products/feed', function () {
  this.timeout(30_000);

  describe('paging', () => {
    let f: CatalogFixture;
    before(async () => {
      f = await startCatalogFixture();
    });
    after(() => f.stop());

    it('when 7 products are read 3 at a time, then the pages hold 3, 3 and 1, each product once in id order, and next is null at the end', async () => {
      const created: string[] = [];
      for (let i = 0; i < 7; i += 1) created.push((await f.createProduct()).id);

      const pages: FeedPage[] = [];
      let after: string | null = null;
      do {
        const response: { status: number; body: FeedPage } = await f.api.get<FeedPage>(`/internal/products/feed?limit=3${after ? `&after=${after}` : ''}`);
        expect(response.status).to.equal(200);
        pages.push(response.body);
        after = response.body.next;
      } while (after !== null && pages.length < 10);

      expect(pages.map((p) => p.items.length)).to.deep.equal([3, 3, 1]);
      expect(pages.map((p) => p.next)).to.deep.equal([pages[0]!.items[2]!.productId, pages[1]!.items[2]!.productId, null]);
      const ids = pages.flatMap((p) => p.items.map((item) => item.productId));
      expect(ids).to.deep.equal([...created].sort());
    });

    it('when the page is read from its last product, or asked with the default limit, then an empty or short page with next null', async () => {
      const all = await f.api.get<FeedPage>('/internal/products/feed');
      expect(all.status).to.equal(200);
      expect(all.body.next).to.equal(null);
      const last = all.body.items.at(-1)!.productId;
      expect((await f.api.get<FeedPage>(`/internal/products/feed?after=${last}`)).body).to.deep.equal({ items: [], next: null });
    });

    it('when a page is read, then its products come through the primary key and their variants through their (product_id, position) index', async () => {
      const ids = (await f.api.get<FeedPage>('/internal/products/feed')).body.items.map((item) => item.productId);
      // A tiny table may be scanned and sorted anyway; with sequential scans and sorts off (on one
      // connection), an index must serve both queries, and the page's order too.
      const plans = await f.service.deps.db.connection().execute(async (conn) => {
        await sql`SET enable_seqscan = off`.execute(conn);
        await sql`SET enable_sort = off`.execute(conn);
        const explain = async (query: ReturnType<typeof sql>) => (await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(conn)).rows.map((r) => r['QUERY PLAN']).join('\n');
        const products = await explain(sql`SELECT * FROM products WHERE id > ${ids[0]} ORDER BY id LIMIT 200`);
        const variants = await explain(sql`SELECT * FROM variants WHERE product_id IN (${sql.join(ids)}) ORDER BY product_id, position`);
        await sql`RESET enable_seqscan`.execute(conn);
        await sql`RESET enable_sort`.execute(conn);
        return { products, variants };
      });
      expect(plans.products).to.contain('products_pkey');
      expect(plans.products, plans.products).not.to.match(/Sort/);
      expect(plans.variants, plans.variants).to.contain('variants_product_id_position_key');
      expect(plans.variants, plans.variants).not.to.match(/Sort/);
    });
  });

  describe('what a product says', () => {
    let f: CatalogFixture;
    before(async () => {
      f = await startCatalogFixture();
    });
    after(() => f.stop());

    /** The feed's entry for a product, read through every page. */
    async function snapshotOf(productId: string) {
      let after: string | null = null;
      do {
        const page: FeedPage = (await f.api.get<FeedPage>(`/internal/products/feed?limit=2${after ? `&after=${after}` : ''}`)).body;
        const found = page.items.find((item) => item.productId === productId);
        if (found) return found;
        after = page.next;
      } while (after !== null);
      return undefined;
    }

    it('when a product has a variant with its own price and one without, then each variant carries the price it sells at', async () => {
      const tag = randomUUID().slice(0, 6);
      const product = await f.createProduct({
        price: usd(2000),
        status: 'active',
        variants: [
          { sku: `FEED-S-${tag}`, name: 'Small' },
          { sku: `FEED-XL-${tag}`, name: 'Extra large', price: usd(2400) },
        ],
      });
      expect(await snapshotOf(product.id)).to.deep.equal({
        productId: product.id,
        name: product.name,
        status: 'active',
        deleted: false,
        price: usd(2000),
        variants: [
          { variantId: product.variants[0].id, sku: `FEED-S-${tag}`, name: 'Small', price: usd(2000) },
          { variantId: product.variants[1].id, sku: `FEED-XL-${tag}`, name: 'Extra large', price: usd(2400) },
        ],
        version: 1,
      });
    });

    it('when a product is deleted and another is a draft, then both are in the feed, flagged deleted and draft', async () => {
      const draft = await f.createProduct();
      const gone = await f.createProduct({ status: 'active' });
      expect((await f.api.delete(`/admin/products/${gone.id}`, { token: f.admin.token })).status).to.be.oneOf([200, 204]);

      expect(await snapshotOf(draft.id)).to.include({ status: 'draft', deleted: false });
      const deleted = await snapshotOf(gone.id);
      expect(deleted).to.include({ status: 'active', deleted: true });
      expect(deleted?.variants.map((v) => v.variantId)).to.deep.equal(gone.variants.map((v: { id: string }) => v.id));
    });

    it('when a product is updated, then its version in the feed grows, and is the version its latest event carries', async () => {
      const product = await f.createProduct();
      expect((await snapshotOf(product.id))?.version).to.equal(1);
      const updated = await f.api.patch(`/admin/products/${product.id}`, { name: `${product.name} v2` }, { token: f.admin.token });
      expect(updated.status).to.equal(200);

      const snapshot = await snapshotOf(product.id);
      expect(snapshot).to.include({ name: `${product.name} v2`, version: 2 });
      const [event] = (await outboxEvents<{ productId: string }>(f.service.deps.db, 'product.updated')).filter((e) => e.data.productId === product.id);
      expect(event?.aggregate).to.deep.equal({ type: 'product', id: product.id, version: snapshot?.version });
    });

    it('when after is not a product id or limit is not 1-500, then 400 VALIDATION_ERROR naming the parameter', async () => {
      for (const [query, field] of [
        ['after=not-an-id', 'after'],
        ['limit=0', 'limit'],
        ['limit=501', 'limit'],
        ['limit=many', 'limit'],
        ['limit=2.5', 'limit'],
      ] as const) {
        const response = await f.api.get(`/internal/products/feed?${query}`);
        expect(response.status, query).to.equal(400);
        expect(response.body.error.code, query).to.equal('VALIDATION_ERROR');
        expect(response.body.error.details.fields.map((x: { field: string }) => x.field), query).to.include(field);
      }
    });
  });
});
