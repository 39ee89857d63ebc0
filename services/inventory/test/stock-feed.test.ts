import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

interface StockFeedPage {
  items: Array<{ variantId: string; productId: string; available: number; stockStatus: string; lowStockThreshold: number; stockVersion: number }>;
  next: string | null;
}

describe('GET /internal/stock/feed', function () {
  this.timeout(30_000);
  let f: InventoryFixture;
  before(async () => {
    f = await startInventoryFixture();
  });
  after(() => f.stop());

  const admin = () => ({ token: f.adminToken });

  /** Every page from the start, `limit` rows at a time. */
  async function readAll(limit: number): Promise<StockFeedPage[]> {
    const pages: StockFeedPage[] = [];
    let after: string | null = null;
    do {
      const response: { status: number; body: StockFeedPage } = await f.api.get<StockFeedPage>(`/internal/stock/feed?limit=${limit}${after ? `&after=${after}` : ''}`);
      expect(response.status).to.equal(200);
      pages.push(response.body);
      after = response.body.next;
    } while (after !== null && pages.length < 100);
    return pages;
  }

  it('when 7 rows are read 3 at a time, then the pages hold 3, 3 and 1, each row once in variant id order, and next is null at the end', async () => {
    // The first test of the file: the database holds these 7 rows alone.
    const { variantIds } = await f.createProduct({ variants: 7 });
    const pages = await readAll(3);
    expect(pages.map((p) => p.items.length)).to.deep.equal([3, 3, 1]);
    expect(pages.map((p) => p.next)).to.deep.equal([pages[0]!.items[2]!.variantId, pages[1]!.items[2]!.variantId, null]);
    expect(pages.flatMap((p) => p.items.map((item) => item.variantId))).to.deep.equal([...variantIds].sort());

    const last = pages[2]!.items[0]!.variantId;
    expect((await f.api.get(`/internal/stock/feed?after=${last}`)).body).to.deep.equal({ items: [], next: null });
  });

  it('when rows are in stock, low, out of stock or partly reserved, then each says what its latest inventory.stock-changed said', async () => {
    const { productId, variantIds } = await f.createProduct({ initialStock: 10, variants: 4 });
    const [plenty, low, out, held] = variantIds as [string, string, string, string];
    await f.api.put(`/admin/inventory/${low}`, { quantity: 3, reason: 'count' }, admin());
    await f.api.put(`/admin/inventory/${out}`, { quantity: 0, reason: 'count' }, admin());
    await f.api.put(`/admin/inventory/${held}/threshold`, { lowStockThreshold: 2 }, admin());
    await f.api.post('/internal/reservations', { orderId: randomUUID(), lines: [{ variantId: held, quantity: 7 }] });

    const items = new Map((await readAll(500)).flatMap((p) => p.items).map((item) => [item.variantId, item]));
    expect(items.get(plenty)).to.deep.equal({ variantId: plenty, productId, available: 10, stockStatus: 'in_stock', lowStockThreshold: 5, stockVersion: 1 });
    expect(items.get(low)).to.deep.equal({ variantId: low, productId, available: 3, stockStatus: 'low_stock', lowStockThreshold: 5, stockVersion: 2 });
    expect(items.get(out)).to.deep.equal({ variantId: out, productId, available: 0, stockStatus: 'out_of_stock', lowStockThreshold: 5, stockVersion: 2 });
    expect(items.get(held)).to.deep.equal({ variantId: held, productId, available: 3, stockStatus: 'in_stock', lowStockThreshold: 2, stockVersion: 3 });
    for (const variantId of variantIds) {
      const latest = (await f.events('inventory.stock-changed', variantId)).at(-1);
      const { available, stockStatus, lowStockThreshold, stockVersion } = latest ?? {};
      expect(items.get(variantId), variantId).to.deep.include({ available, stockStatus, lowStockThreshold, stockVersion });
    }
  });

  it('when after is not a variant id or limit is not 1-500, then 400 VALIDATION_ERROR naming the parameter', async () => {
    for (const [query, field] of [
      ['after=42', 'after'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=all', 'limit'],
    ] as const) {
      const response = await f.api.get(`/internal/stock/feed?${query}`);
      expect(response.status, query).to.equal(400);
      expect(response.body.error.code, query).to.equal('VALIDATION_ERROR');
      expect(response.body.error.details.fields.map((x: { field: string }) => x.field), query).to.include(field);
    }
  });

  it('when a page is read, then the unique index on variant_id serves both the start and the order', async () => {
    const { variantIds } = await f.createProduct({ variants: 3 });
    // A tiny table may be scanned and sorted anyway; with both off (on one connection), the index must serve the query.
    const plan = await f.service.deps.db.connection().execute(async (conn) => {
      await sql`SET enable_seqscan = off`.execute(conn);
      await sql`SET enable_sort = off`.execute(conn);
      const explained = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT * FROM stock_items WHERE variant_id > ${variantIds[0]} ORDER BY variant_id LIMIT 200`.execute(conn);
      await sql`RESET enable_seqscan`.execute(conn);
      await sql`RESET enable_sort`.execute(conn);
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).to.contain('stock_items_variant_key');
    expect(plan, plan).not.to.match(/Sort/);
  });
});
