import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { productCreated, productUpdated } from '@shop/contracts';
import { sql } from '@shop/db';
import { eventually } from '@shop/testkit';
import { openStock } from '../src/app/open-stock';
import { findStockByVariant } from '../src/db/stock.repository';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

describe('inventory service: product events from the catalog', function () {
  this.timeout(30_000);
  let f: InventoryFixture;
  before(async () => {
    f = await startInventoryFixture();
  });
  after(() => f.stop());

  const stockRows = (variantIds: string[]) =>
    f.service.deps.db.selectFrom('stock_items').selectAll().where('variant_id', 'in', variantIds).orderBy('variant_id').execute();
  const inboxed = async (eventId: string) => (await sql`SELECT 1 FROM inbox WHERE event_id = ${eventId}`.execute(f.service.deps.db)).rows.length > 0;
  const auditOf = async (variantId: string) =>
    (await f.api.get(`/admin/inventory/${variantId}/audit`, { token: f.adminToken })).body.items.map((e: Record<string, unknown>) => [e.action, e.previous, e.new, e.reason]);
  /**
   * A product.updated that keeps the name and lists these variants (the product's whole list after the update),
   * with these SKUs (made up from the variant ids unless given) and at this time (now unless given).
   */
  const variantsUpdate = (product: { productId: string; name: string }, variantIds: string[], version: number, options: { skus?: string[]; updatedAt?: Date } = {}) =>
    f.productEvent(
      productUpdated,
      {
        productId: product.productId,
        name: product.name,
        changedFields: {},
        variants: variantIds.map((variantId, i) => ({ variantId, sku: options.skus?.[i] ?? `SKU-${variantId.slice(0, 8)}-${i}`, name: `Variant ${i}`, price: { amount: 1299, currency: 'USD' } })),
        updatedBy: f.adminId,
        updatedAt: (options.updatedAt ?? new Date()).toISOString(),
      },
      version,
    );

  describe('product.created', () => {
    it('when a product with three variants is created, then each variant gets a stock row with the initial stock', async () => {
      const data = f.productCreatedData({ initialStock: 7, variants: 3 });
      const envelope = f.productEvent(productCreated, data);
      await f.publish(envelope);
      const variantIds = data.variants.map((v) => v.variantId);

      const rows = await eventually(async () => ((await stockRows(variantIds)).length === 3 ? stockRows(variantIds) : undefined), 10_000, 'stock rows');
      for (const row of rows) {
        const sku = data.variants.find((v) => v.variantId === row.variant_id)?.sku;
        expect(row).to.include({ product_id: data.productId, on_hand: 7, reserved: 0, low_stock_threshold: 5, version: 1, product_name: data.name, sku });
      }
      const response = await f.api.get(`/admin/inventory/${variantIds[1]}`, { token: f.adminToken });
      expect(response.body).to.include({ onHand: 7, available: 7, stockStatus: 'in_stock' });
      expect(await f.events('inventory.stock-changed', variantIds[0])).to.have.length(1);
    });

    it('when the same envelope is delivered twice, then there is one row per variant and one set of events', async () => {
      const data = f.productCreatedData({ initialStock: 4 });
      const envelope = f.productEvent(productCreated, data);
      const variantId = data.variants[0]!.variantId;
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'first delivery');
      await f.publish(envelope);
      // A marker published after the duplicate: once it is handled, the duplicate has been too (one queue, in order).
      const marker = f.productEvent(productCreated, f.productCreatedData());
      await f.publish(marker);
      await eventually(() => inboxed(marker.id), 10_000, 'marker');

      expect(await stockRows([variantId])).to.have.length(1);
      expect(await f.events('inventory.stock-changed', variantId)).to.have.length(1);
      expect(await f.events('inventory.low-stock', variantId)).to.have.length(1);
      const audit = await f.api.get(`/admin/inventory/${variantId}/audit`, { token: f.adminToken });
      expect(audit.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['initialized']);
    });

    it('when a second event names a variant that already has stock, then the existing row is kept as it is', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 9 });
      await f.api.post(`/admin/inventory/${variantIds[0]}/restock`, { quantity: 1 }, { token: f.adminToken });
      const again = f.productCreatedData({ initialStock: 100 });
      again.variants[0]!.variantId = variantIds[0]!;
      const envelope = f.productEvent(productCreated, again);
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'second product event');
      expect(await findStockByVariant(f.service.deps.db, variantIds[0]!)).to.include({ onHand: 10, version: 2 });
    });

    it('when a product is created without variants, then nothing is created and the event is still consumed', async () => {
      const data = { ...f.productCreatedData(), variants: [] };
      const envelope = f.productEvent(productCreated, data);
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'empty product');
      expect(await f.service.deps.db.selectFrom('stock_items').select('id').where('product_id', '=', data.productId).execute()).to.have.length(0);
    });
  });

  describe('product.created after the catalog feed filled in its rows', () => {
    it('when the rows the feed opened are untouched, then they take the initial stock; a row an admin has changed meanwhile is kept', async () => {
      const data = f.productCreatedData({ initialStock: 7, variants: 2 });
      const [untouched, counted] = data.variants.map((v) => v.variantId) as [string, string];
      // What the start-up backfill does for a product whose event still waits in the queue.
      await f.service.deps.transaction((tx) =>
        openStock(f.service.deps, tx, [{ productId: data.productId, productName: data.name, nameAt: new Date(), variants: data.variants }], {
          origin: 'catalog_feed',
          onHand: 0,
          userId: null,
          at: new Date(),
        }),
      );
      await f.api.put(`/admin/inventory/${counted}`, { quantity: 3, reason: 'counted' }, { token: f.adminToken });

      const envelope = f.productEvent(productCreated, data);
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'product.created');

      expect(await findStockByVariant(f.service.deps.db, untouched)).to.include({ onHand: 7, version: 2 });
      expect(await findStockByVariant(f.service.deps.db, counted)).to.include({ onHand: 3, version: 2 });
      expect(await auditOf(untouched)).to.deep.equal([
        ['initialized', 0, 7, 'product created'],
        ['initialized', 0, 0, 'filled in from the catalog feed'],
      ]);
      const changed = await f.events('inventory.stock-changed', untouched);
      expect(changed.map((e) => [e.stockVersion, e.onHand, e.stockStatus])).to.deep.equal([
        [1, 0, 'out_of_stock'],
        [2, 7, 'in_stock'],
      ]);
    });
  });

  describe('product.updated', () => {
    it('when the product is renamed, then its stock alerts name it by the new name', async () => {
      const { productId, variantIds } = await f.createProduct({ initialStock: 10, name: 'Old name' });
      const envelope = f.productEvent(
        productUpdated,
        { productId, name: 'New name', changedFields: { name: 'New name' }, variants: [], updatedBy: randomUUID(), updatedAt: new Date(Date.now() + 1000).toISOString() },
        2,
      );
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'rename');
      await f.api.put(`/admin/inventory/${variantIds[0]}`, { quantity: 0, reason: 'sold out' }, { token: f.adminToken });
      expect((await f.events('inventory.out-of-stock', variantIds[0]))[0]?.productName).to.equal('New name');
    });

    it('when an older rename arrives after a newer one, then the newer name stays', async () => {
      const { productId, variantIds } = await f.createProduct({ name: 'First' });
      const rename = (name: string, offsetMs: number, version: number) =>
        f.productEvent(productUpdated, { productId, name, changedFields: { name }, variants: [], updatedBy: null, updatedAt: new Date(Date.now() + offsetMs).toISOString() }, version);
      const newer = rename('Newer', 5000, 3);
      const older = rename('Older', 2000, 2);
      await f.publish(newer);
      await f.publish(older);
      await eventually(() => inboxed(older.id), 10_000, 'older rename');
      expect((await findStockByVariant(f.service.deps.db, variantIds[0]!))?.productName).to.equal('Newer');
    });

    it('when product.updated arrives before its product.created, then it waits for it and the end state is right (stock rows with the new name)', async () => {
      const data = f.productCreatedData({ initialStock: 5, name: 'Original' });
      const variantId = data.variants[0]!.variantId;
      const created = f.productEvent(productCreated, data, 1);
      const updated = f.productEvent(
        productUpdated,
        { productId: data.productId, name: 'Renamed', changedFields: { name: 'Renamed' }, variants: data.variants, updatedBy: null, updatedAt: new Date(Date.now() + 1_000).toISOString() },
        2,
      );
      await f.publish(updated);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await f.publish(created);
      await eventually(async () => (await findStockByVariant(f.service.deps.db, variantId))?.productName === 'Renamed', 15_000, 'the rename applied after the creation');
      expect(await findStockByVariant(f.service.deps.db, variantId)).to.include({ onHand: 5, productName: 'Renamed' });
      expect(await inboxed(updated.id)).to.equal(true);
    });

    it('when a stale product event (an older version) arrives after a newer one was applied, then it is skipped', async () => {
      const { productId, variantIds } = await f.createProduct({ name: 'Base' });
      const rename = (name: string, version: number) =>
        f.productEvent(productUpdated, { productId, name, changedFields: { name }, variants: [], updatedBy: null, updatedAt: new Date().toISOString() }, version);
      const v5 = rename('Version five', 5);
      await f.publish(v5);
      await eventually(() => inboxed(v5.id), 10_000, 'v5');
      // Same clock-time: only the version tells that this one is older.
      const v4 = rename('Version four', 4);
      await f.publish(v4);
      await eventually(() => inboxed(v4.id), 10_000, 'v4 taken in');
      expect((await findStockByVariant(f.service.deps.db, variantIds[0]!))?.productName).to.equal('Version five');
    });

    it('when an update adds a variant, then it gets exactly one stock row (0 on hand, out_of_stock), audited and announced, and the existing rows are untouched', async () => {
      const product = await f.createProduct({ initialStock: 10, variants: 2, name: 'Growing' });
      const added = randomUUID();
      // The stock of a row, and when it last changed (the name the update carries may refresh its timestamp).
      const stockOf = async (variantIds: string[]) =>
        (await stockRows(variantIds)).map((r) => ({ id: r.id, on_hand: r.on_hand, reserved: r.reserved, version: r.version, updated_at: r.updated_at, origin: r.origin }));
      const before = await stockOf(product.variantIds);
      const envelope = variantsUpdate({ productId: product.productId, name: 'Growing' }, [...product.variantIds, added], 2);
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'the update');

      const [row, ...others] = await stockRows([added]);
      expect(others).to.have.length(0);
      const addedSku = envelope.data.variants.at(-1)!.sku;
      expect(row).to.include({ product_id: product.productId, product_name: 'Growing', sku: addedSku, on_hand: 0, reserved: 0, low_stock_threshold: 5, version: 1, origin: 'product_updated' });
      const response = await f.api.get(`/admin/inventory/${added}`, { token: f.adminToken });
      expect(response.body).to.include({ onHand: 0, available: 0, stockStatus: 'out_of_stock' });
      expect(await auditOf(added)).to.deep.equal([['initialized', 0, 0, 'variant added to the product']]);
      expect((await f.events('inventory.stock-changed', added)).map((e) => [e.stockVersion, e.onHand, e.stockStatus])).to.deep.equal([[1, 0, 'out_of_stock']]);
      expect(await f.events('inventory.out-of-stock', added)).to.have.length(1);
      expect((await f.events('inventory.low-stock', added))[0]).to.include({ productName: 'Growing', sku: addedSku, currentStock: 0, threshold: 5 });
      expect((await f.events('inventory.out-of-stock', added))[0]).to.include({ productName: 'Growing', sku: addedSku });
      expect(await stockOf(product.variantIds)).to.deep.equal(before);
      for (const variantId of product.variantIds) expect(await f.events('inventory.stock-changed', variantId), variantId).to.have.length(1);
    });

    it('when an update names other SKUs for the variants, then their rows take them (one without a SKU too), stock untouched, and the next alert names the new SKU', async () => {
      const product = await f.createProduct({ initialStock: 10, variants: 2, name: 'Relabelled' });
      // As a row opened before rows kept their SKU.
      await f.service.deps.db.updateTable('stock_items').set({ sku: null }).where('variant_id', '=', product.variantIds[1]!).execute();
      const versionsBefore = (await stockRows(product.variantIds)).map((r) => r.version);
      const skus = product.variantIds.map((id) => `NEW-${id.slice(0, 8)}`);
      const envelope = variantsUpdate({ productId: product.productId, name: 'Relabelled' }, product.variantIds, 2, { skus, updatedAt: new Date(Date.now() + 1000) });
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'the update');

      const rows = await stockRows(product.variantIds);
      expect(Object.fromEntries(rows.map((r) => [r.variant_id, r.sku]))).to.deep.equal(Object.fromEntries(product.variantIds.map((id, i) => [id, skus[i]])));
      expect(rows.map((r) => r.version)).to.deep.equal(versionsBefore);
      await f.api.put(`/admin/inventory/${product.variantIds[0]}`, { quantity: 0, reason: 'sold out' }, { token: f.adminToken });
      expect((await f.events('inventory.out-of-stock', product.variantIds[0]))[0]).to.include({ productName: 'Relabelled', sku: skus[0] });
    });

    it('when an older update arrives after a newer one, then the newer SKU stays', async () => {
      const product = await f.createProduct({ name: 'Ordered' });
      const update = (sku: string, offsetMs: number, version: number) =>
        variantsUpdate({ productId: product.productId, name: 'Ordered' }, product.variantIds, version, { skus: [sku], updatedAt: new Date(Date.now() + offsetMs) });
      const newer = update('NEWER', 5000, 3);
      const older = update('OLDER', 2000, 2);
      await f.publish(newer);
      await f.publish(older);
      await eventually(() => inboxed(older.id), 10_000, 'older update');
      expect((await findStockByVariant(f.service.deps.db, product.variantIds[0]!))?.sku).to.equal('NEWER');
    });

    it('when the update adding a variant is delivered twice, then there is one row for it and one set of events', async () => {
      const product = await f.createProduct({ initialStock: 4 });
      const added = randomUUID();
      const envelope = variantsUpdate({ productId: product.productId, name: 'Twice' }, [...product.variantIds, added], 2);
      await f.publish(envelope);
      await eventually(() => inboxed(envelope.id), 10_000, 'first delivery');
      await f.publish(envelope);
      // The same change in a new event (a replay from elsewhere): the inbox does not know it, the unique index does.
      const again = variantsUpdate({ productId: product.productId, name: 'Twice' }, [...product.variantIds, added], 3);
      await f.publish(again);
      await eventually(() => inboxed(again.id), 10_000, 'the second update');

      expect(await stockRows([added])).to.have.length(1);
      expect(await f.events('inventory.stock-changed', added)).to.have.length(1);
      expect(await auditOf(added)).to.have.length(1);
    });

    it('when an update adding a variant arrives before its product.created, then it waits for it: the original variants get the initial stock, the added one 0', async () => {
      const data = f.productCreatedData({ initialStock: 6 });
      const original = data.variants[0]!.variantId;
      const added = randomUUID();
      const updated = variantsUpdate({ productId: data.productId, name: data.name }, [original, added], 2);
      await f.publish(updated);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await stockRows([original, added])).to.have.length(0);
      await f.publish(f.productEvent(productCreated, data, 1));

      await eventually(() => inboxed(updated.id), 15_000, 'the update applied after the creation');
      expect(await findStockByVariant(f.service.deps.db, original)).to.include({ onHand: 6, origin: 'product_created' });
      expect(await findStockByVariant(f.service.deps.db, added)).to.include({ onHand: 0, origin: 'product_updated' });
    });
  });
});
