import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { countUnsent } from '@shop/db';
import { eventually, tapEvents, testAmqpUrl } from '@shop/testkit';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

describe('inventory service: stock events and alerts', function () {
  this.timeout(30_000);
  let f: InventoryFixture;
  let admin: { token: string };
  before(async () => {
    f = await startInventoryFixture();
    admin = { token: f.adminToken };
  });
  after(() => f.stop());

  const reserve = (variantId: string, quantity: number, orderId = randomUUID()) => f.api.post('/internal/reservations', { orderId, lines: [{ variantId, quantity }] });

  describe('inventory.stock-changed', () => {
    it('when the row changes in any way, then each change is announced with a growing stockVersion and the new level', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      const orderA = randomUUID();
      const orderB = randomUUID();
      await f.api.put(`/admin/inventory/${variantId}`, { quantity: 12, reason: 'count' }, admin);
      await reserve(variantId, 2, orderA);
      await reserve(variantId, 3, orderB);
      await f.api.post(`/internal/reservations/${orderA}/release`, { reason: 'cancelled' });
      await f.api.post(`/internal/reservations/${orderB}/commit`);
      await f.api.post(`/internal/reservations/${orderB}/deduct`);

      const changed = await f.events('inventory.stock-changed', variantId);
      expect(changed.map((e) => [e.stockVersion, e.onHand, e.reserved, e.available])).to.deep.equal([
        [1, 10, 0, 10],
        [2, 12, 0, 12],
        [3, 12, 2, 10],
        [4, 12, 5, 7],
        [5, 12, 3, 9],
        [6, 9, 0, 9],
      ]);
    });

    it('when stock is restocked, then inventory.restocked and inventory.stock-changed reach the broker (a consumer of them would see them) and the outbox is empty', async () => {
      const tap = await tapEvents(await testAmqpUrl(), ['inventory.restocked.v1', 'inventory.stock-changed.v1']);
      try {
        const { variantIds } = await f.createProduct({ initialStock: 1 });
        const restocked = await f.api.post(`/admin/inventory/${variantIds[0]}/restock`, { quantity: 4, reason: 'delivery' }, admin);
        expect(restocked.status).to.equal(200);
        expect(restocked.body).to.include({ onHand: 5, available: 5 });
        const event = await tap.waitFor<{ variantId: string; previous: number; new: number; reason: string }>('inventory.restocked', (d) => d.variantId === variantIds[0]);
        expect(event.data).to.include({ previous: 1, new: 5, reason: 'delivery' });
        expect(event.aggregate).to.deep.equal({ type: 'stock', id: variantIds[0], version: 2 });
        await tap.waitFor<{ variantId: string; onHand: number }>('inventory.stock-changed', (d) => d.variantId === variantIds[0] && d.onHand === 5);
        await eventually(async () => (await countUnsent(f.service.deps.db)) === 0, 10_000, 'an empty outbox');
      } finally {
        await tap.close();
      }
    });
  });

  describe('inventory.low-stock', () => {
    it('when available falls to the threshold, then one alert; further falls below it, none; after rising above, the next fall alerts again', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 8 });
      const variantId = variantIds[0]!;
      const lowStock = () => f.events('inventory.low-stock', variantId);

      await reserve(variantId, 2); // 6 available: above the threshold of 5
      expect(await lowStock()).to.have.length(0);
      await reserve(variantId, 1); // 5: at the threshold
      expect((await lowStock()).map((e) => [e.currentStock, e.threshold])).to.deep.equal([[5, 5]]);
      await reserve(variantId, 2); // 3
      await f.api.post(`/admin/inventory/${variantId}/adjustments`, { adjustment: -1, reason: 'broken' }, admin); // 2
      expect(await lowStock()).to.have.length(1);

      await f.api.post(`/admin/inventory/${variantId}/restock`, { quantity: 10, reason: 'delivery' }, admin); // 12: above
      expect(await lowStock()).to.have.length(1);
      await f.api.post(`/admin/inventory/${variantId}/adjustments`, { adjustment: -8, reason: 'recount' }, admin); // 4: below again
      expect((await lowStock()).map((e) => e.currentStock)).to.deep.equal([5, 4]);
      expect((await lowStock())[0]?.productName).to.match(/^Mug /);
    });

    it('when a variant runs low, then the alert names the product and the SKU of that variant', async () => {
      const { variantIds, skus } = await f.createProduct({ initialStock: 8, variants: 2, name: 'Kettle' });
      await reserve(variantIds[1]!, 4);
      const [alert, ...more] = await f.events('inventory.low-stock', variantIds[1]!);
      expect(more).to.have.length(0);
      expect(alert).to.include({ productName: 'Kettle', sku: skus[1], currentStock: 4 });
    });

    it('when the threshold is raised above available, then one alert', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 8 });
      await f.api.put(`/admin/inventory/${variantIds[0]}/threshold`, { lowStockThreshold: 8 }, admin);
      await f.api.put(`/admin/inventory/${variantIds[0]}/threshold`, { lowStockThreshold: 9 }, admin);
      expect((await f.events('inventory.low-stock', variantIds[0]!)).map((e) => e.threshold)).to.deep.equal([8]);
    });
  });

  describe('inventory.out-of-stock (SEQ-INV-002)', () => {
    it('when available reaches 0, then one alert; while it stays at 0, none; after a restock, the next time again', async () => {
      const { productId, variantIds, skus } = await f.createProduct({ initialStock: 6, name: 'Teapot' });
      const variantId = variantIds[0]!;
      const outOfStock = () => f.events('inventory.out-of-stock', variantId);

      await reserve(variantId, 6);
      const [alert] = await outOfStock();
      expect(alert).to.include({ variantId, productId, productName: 'Teapot', sku: skus[0] });
      expect((await f.api.get(`/admin/inventory/${variantId}`, admin)).body).to.include({ available: 0, stockStatus: 'out_of_stock' });
      // A recount that leaves nothing available is no new episode: no second alert.
      await f.api.put(`/admin/inventory/${variantId}`, { quantity: 6, reason: 'count' }, admin);
      expect(await outOfStock()).to.have.length(1);

      await f.api.post(`/admin/inventory/${variantId}/restock`, { quantity: 2 }, admin);
      expect((await f.api.get(`/admin/inventory/${variantId}`, admin)).body.stockStatus).to.equal('low_stock');
      await reserve(variantId, 2);
      expect(await outOfStock()).to.have.length(2);
    });

    it('when available drops from plenty straight to 0, then both low-stock and out-of-stock go out once', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 20 });
      await f.api.put(`/admin/inventory/${variantIds[0]}`, { quantity: 0, reason: 'stolen' }, admin);
      expect(await f.events('inventory.low-stock', variantIds[0]!)).to.have.length(1);
      expect(await f.events('inventory.out-of-stock', variantIds[0]!)).to.have.length(1);
    });

    it('when a product is created without stock, then it is out of stock from the start and alerts once', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 0 });
      expect((await f.api.get(`/admin/inventory/${variantIds[0]}`, admin)).body.stockStatus).to.equal('out_of_stock');
      expect(await f.events('inventory.out-of-stock', variantIds[0]!)).to.have.length(1);
      expect((await f.events('inventory.stock-changed', variantIds[0]!))[0]).to.include({ stockStatus: 'out_of_stock', stockVersion: 1 });
    });
  });
});
