import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { productCreated, productUpdated } from '@shop/contracts';
import { sql } from '@shop/db';
import { eventually } from '@shop/testkit';
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

  describe('product.created', () => {
    it('when a product with three variants is created, then each variant gets a stock row with the initial stock', async () => {
      const data = f.productCreatedData({ initialStock: 7, variants: 3 });
      const envelope = f.productEvent(productCreated, data);
      await f.publish(envelope);
      const variantIds = data.variants.map((v) => v.variantId);

      const rows = await eventually(async () => ((await stockRows(variantIds)).length === 3 ? stockRows(variantIds) : undefined), 10_000, 'stock rows');
      for (const row of rows) {
        expect(row).to.include({ product_id: data.productId, on_hand: 7, reserved: 0, low_stock_threshold: 5, version: 1, product_name: data.name });
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
  });
});
