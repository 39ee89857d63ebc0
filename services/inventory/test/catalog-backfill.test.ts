import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { eventually, outboxEvents, startTcpProxy } from '@shop/testkit';
import { startCatalogFixture, type CatalogFixture } from '../../catalog/test/catalog.fixture';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

// The catalog here publishes to a broker nobody listens on: its product events never reach these
// inventories, as with an inventory whose database is newer than the events (they were sent, and
// consumed, before it existed). The feed is all they have.
const NO_BROKER = 'amqp://guest:guest@127.0.0.1:1';

describe('inventory service: stock rows filled in from the catalog feed at start', function () {
  this.timeout(60_000);
  let catalog: CatalogFixture;
  /** Variant ids of the catalog's products that are not deleted, and of the deleted one. */
  let live: string[];
  let deleted: string[];
  /** The catalog's SKU of each variant. */
  const skuOf = new Map<string, string>();
  const running: InventoryFixture[] = [];

  before(async () => {
    catalog = await startCatalogFixture({ AMQP_URL: NO_BROKER });
    const suffix = () => Math.random().toString(36).slice(2, 8).toUpperCase();
    const sized = await catalog.createProduct({
      status: 'active',
      variants: [
        { sku: `TEE-S-${suffix()}`, name: 'Small' },
        { sku: `TEE-M-${suffix()}`, name: 'Medium' },
        { sku: `TEE-L-${suffix()}`, name: 'Large' },
      ],
    });
    const draft = await catalog.createProduct();
    const plain = await catalog.createProduct({ status: 'active', initialStock: 12 });
    const gone = await catalog.createProduct({ status: 'active' });
    expect((await catalog.api.delete(`/admin/products/${gone.id}`, { token: catalog.admin.token })).status).to.be.oneOf([200, 204]);
    const ids = (product: Record<string, any>) => (product.variants as Array<{ id: string }>).map((v) => v.id);
    for (const product of [sized, draft, plain]) for (const v of product.variants as Array<{ id: string; sku: string }>) skuOf.set(v.id, v.sku);
    live = [...ids(sized), ...ids(draft), ...ids(plain)];
    deleted = ids(gone);
  });
  afterEach(async () => {
    for (const f of running.splice(0)) await f.stop();
  });
  after(() => catalog.stop());

  /** An inventory with a new database (unless given) that fills in from `catalogUrl`. */
  async function startInventory(catalogUrl: string, env: Record<string, string> = {}): Promise<InventoryFixture> {
    const f = await startInventoryFixture({ CATALOG_BACKFILL: 'true', CATALOG_SERVICE_URL: catalogUrl, ...env });
    running.push(f);
    return f;
  }
  const rowsOf = (f: InventoryFixture, variantIds: string[]) =>
    variantIds.length === 0 ? Promise.resolve([]) : f.service.deps.db.selectFrom('stock_items').selectAll().where('variant_id', 'in', variantIds).orderBy('variant_id').execute();
  const allRows = (f: InventoryFixture) => f.service.deps.db.selectFrom('stock_items').selectAll().orderBy('variant_id').execute();
  const filledIn = (f: InventoryFixture, variantIds: string[]) =>
    eventually(async () => ((await rowsOf(f, variantIds)).length === variantIds.length ? rowsOf(f, variantIds) : undefined), 15_000, `${variantIds.length} stock rows`);

  it('when an inventory with a new database starts, then every variant of every product not deleted gets a stock row with 0 on hand, audited and announced, read page by page', async () => {
    const f = await startInventory(catalog.service.url, { CATALOG_FEED_PAGE_SIZE: '2' });

    const rows = await filledIn(f, live);
    for (const row of rows) expect(row, row.variant_id).to.include({ on_hand: 0, reserved: 0, low_stock_threshold: 5, version: 1, origin: 'catalog_feed', sku: skuOf.get(row.variant_id) });
    expect(await rowsOf(f, deleted)).to.have.length(0);
    expect(await allRows(f)).to.have.length(live.length);

    const [variantId] = live as [string];
    const stock = await f.api.get(`/admin/inventory/${variantId}`, { token: f.adminToken });
    expect(stock.body).to.include({ onHand: 0, available: 0, stockStatus: 'out_of_stock' });
    const audit = await f.api.get(`/admin/inventory/${variantId}/audit`, { token: f.adminToken });
    expect(audit.body.items).to.have.length(1);
    expect(audit.body.items[0]).to.include({ action: 'initialized', previous: 0, new: 0, reason: 'filled in from the catalog feed', userId: null });
    for (const id of live) {
      expect((await f.events('inventory.stock-changed', id)).map((e) => [e.stockVersion, e.onHand, e.stockStatus]), id).to.deep.equal([[1, 0, 'out_of_stock']]);
      expect(await f.events('inventory.out-of-stock', id), id).to.have.length(1);
      expect((await f.events('inventory.out-of-stock', id))[0], id).to.include({ sku: skuOf.get(id) });
    }
  });

  it('when it starts again on the same database, then a row without a SKU (opened before rows kept one) gets the SKU of its variant, and nothing else of it changes', async () => {
    const first = await startInventory(catalog.service.url);
    await filledIn(first, live);
    const [unnamed] = live as [string];
    await first.service.deps.db.updateTable('stock_items').set({ sku: null }).where('variant_id', '=', unnamed).execute();
    const before = await allRows(first);
    const databaseUrl = first.service.deps.config.DATABASE_URL;
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const again = await startInventory(catalog.service.url, { DATABASE_URL: databaseUrl });
    await eventually(async () => (await rowsOf(again, [unnamed]))[0]?.sku === skuOf.get(unnamed), 15_000, 'the SKU filled in');
    const after = await allRows(again);
    expect(after.filter((row) => row.variant_id !== unnamed)).to.deep.equal(before.filter((row) => row.variant_id !== unnamed));
    expect(after.find((row) => row.variant_id === unnamed)).to.deep.equal({ ...before.find((row) => row.variant_id === unnamed), sku: skuOf.get(unnamed) });
  });

  it('when it starts again on the same database, then the rows it has are left exactly as they are and only a product added meanwhile gets one', async () => {
    const first = await startInventory(catalog.service.url);
    await filledIn(first, live);
    const [counted] = live as [string];
    await first.api.put(`/admin/inventory/${counted}`, { quantity: 4, reason: 'counted' }, { token: first.adminToken });
    const before = await allRows(first);
    const auditBefore = await first.service.deps.db.selectFrom('stock_audit').select(['id']).execute();
    const announcedBefore = (await outboxEvents(first.service.deps.db, 'inventory.stock-changed')).length;
    const databaseUrl = first.service.deps.config.DATABASE_URL;
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const added = await catalog.createProduct({ status: 'active' });
    const addedVariant = added.variants[0].id as string;
    const again = await startInventory(catalog.service.url, { DATABASE_URL: databaseUrl });
    // The new product's row comes from the same page, in the same transaction, as everything else.
    await filledIn(again, [addedVariant]);

    const after = await allRows(again);
    expect(after.filter((row) => row.variant_id !== addedVariant)).to.deep.equal(before);
    expect(before.find((row) => row.variant_id === counted)).to.include({ on_hand: 4, version: 2 });
    expect(await again.service.deps.db.selectFrom('stock_audit').select(['id']).execute()).to.have.length(auditBefore.length + 1);
    const announced = await outboxEvents<{ variantId: string }>(again.service.deps.db, 'inventory.stock-changed');
    expect(announced.slice(announcedBefore).map((e) => e.data.variantId)).to.deep.equal([addedVariant]);
  });

  it('when the catalog is down at first, then the backfill keeps trying and the rows appear once it is up', async () => {
    const proxy = await startTcpProxy(catalog.service.port);
    try {
      proxy.cut();
      const f = await startInventory(`http://127.0.0.1:${proxy.port}`);
      // Long enough for a few attempts (250 ms, then 500 ms, ...), short of the breaker opening.
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await allRows(f)).to.have.length(0);

      proxy.restore();
      const rows = await filledIn(f, live);
      for (const row of rows) expect(row).to.include({ on_hand: 0, origin: 'catalog_feed' });
      expect(await rowsOf(f, deleted)).to.have.length(0);
    } finally {
      await proxy.close();
    }
  });

  it('when the catalog takes a call and never answers, then the service still stops at once (the backfill does not wait for the call to time out)', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const f = await startInventory(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
      await eventually(() => sockets.size > 0, 5_000, 'the feed call');
      const started = Date.now();
      await f.stop();
      running.splice(running.indexOf(f), 1);
      expect(Date.now() - started).to.be.below(2_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
