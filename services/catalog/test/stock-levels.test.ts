import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { eventually } from '@shop/testkit';
import { subscriptions } from '@shop/contracts';
import { startCatalogFixture, stockChanged, type CatalogFixture } from './catalog.fixture';

describe('catalog service: stock status read model (inventory.stock-changed)', function () {
  this.timeout(30_000);
  let f: CatalogFixture;
  before(async () => {
    f = await startCatalogFixture();
  });
  after(() => f.stop());

  /** An active product with `count` variants; returns its id and its variants as events name them. */
  async function activeProduct(count = 1) {
    const tag = randomUUID().slice(0, 8);
    const variants = Array.from({ length: count }, (_, i) => ({ sku: `STK-${tag}-${i}`, name: `V${i}` }));
    const product = await f.createProduct({ status: 'active', variants, name: `Stocked ${tag}` });
    return {
      id: product.id as string,
      name: product.name as string,
      variants: (product.variants as Array<{ id: string }>).map((v) => ({ variantId: v.id, productId: product.id as string })),
    };
  }

  const listedStatus = async (product: { id: string; name: string }) => {
    const { body } = await f.api.get(`/products?q=${encodeURIComponent(product.name.split(' ')[1] as string)}`);
    return body.items.find((p: { id: string }) => p.id === product.id)?.stockStatus as string | undefined;
  };
  const detailsOf = async (productId: string) => (await f.api.get(`/products/${productId}`)).body;
  const storedVersion = async (variantId: string) =>
    (await f.service.deps.db.selectFrom('variant_stock').select(['stock_version', 'available']).where('variant_id', '=', variantId).executeTakeFirst()) ?? null;
  const inboxCount = async (eventId: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM inbox WHERE consumer = ${subscriptions.catalogStockLevels.queue} AND event_id = ${eventId}`.execute(f.service.deps.db)).rows[0]?.n ?? 0;
  /** Whether the consumer has taken this event in (applied, or found older than what it has). */
  const processed = async (eventId: string) => (await inboxCount(eventId)) > 0;

  it('when no stock has been reported for a product, then it is out of stock', async () => {
    const product = await activeProduct();
    expect(await listedStatus(product)).to.equal('out_of_stock');
    expect((await detailsOf(product.id)).variants[0].stockStatus).to.equal('out_of_stock');
  });

  it('when a variant is reported in stock, then low, then out, then the listing and the details follow, eventually', async () => {
    const product = await activeProduct();
    const [variant] = product.variants as [{ variantId: string; productId: string }];
    for (const [version, available, expected] of [
      [1, 20, 'in_stock'],
      [2, 3, 'low_stock'],
      [3, 0, 'out_of_stock'],
    ] as const) {
      await f.publish(stockChanged(variant, { stockVersion: version, available }));
      await eventually(async () => (await listedStatus(product)) === expected, 10_000, `${expected} in the listing`);
      const details = await detailsOf(product.id);
      expect(details.stockStatus).to.equal(expected);
      expect(details.variants[0].stockStatus).to.equal(expected);
    }
  });

  it('when variants differ, then the product is in stock if any is, else low if any is, else out; unreported ones count as out', async () => {
    const product = await activeProduct(3);
    const [a, b, c] = product.variants as [{ variantId: string; productId: string }, { variantId: string; productId: string }, { variantId: string; productId: string }];

    await f.publish(stockChanged(a, { stockVersion: 1, available: 2 }));
    await eventually(async () => (await listedStatus(product)) === 'low_stock', 10_000, 'low_stock');
    expect((await detailsOf(product.id)).variants.map((v: { stockStatus: string }) => v.stockStatus)).to.deep.equal(['low_stock', 'out_of_stock', 'out_of_stock']);

    await f.publish(stockChanged(b, { stockVersion: 1, available: 50 }));
    await eventually(async () => (await listedStatus(product)) === 'in_stock', 10_000, 'in_stock');

    await f.publish(stockChanged(b, { stockVersion: 2, available: 0 }), stockChanged(c, { stockVersion: 1, available: 0 }));
    await eventually(async () => (await listedStatus(product)) === 'low_stock', 10_000, 'back to low_stock');

    await f.publish(stockChanged(a, { stockVersion: 2, available: 0 }));
    await eventually(async () => (await listedStatus(product)) === 'out_of_stock', 10_000, 'out_of_stock');
  });

  it('when an older stock version arrives after a newer one, then the newer one stays', async () => {
    const product = await activeProduct();
    const [variant] = product.variants as [{ variantId: string; productId: string }];
    await f.publish(stockChanged(variant, { stockVersion: 5, available: 40 }));
    await eventually(async () => (await listedStatus(product)) === 'in_stock', 10_000, 'in_stock');

    const older = stockChanged(variant, { stockVersion: 4, available: 0 });
    await f.publish(older);
    await eventually(() => processed(older.id), 10_000, 'the older event to be consumed');
    expect(await storedVersion(variant.variantId)).to.deep.equal({ stock_version: 5, available: 40 });
    expect(await listedStatus(product)).to.equal('in_stock');

    const same = stockChanged(variant, { stockVersion: 5, available: 1 });
    await f.publish(same);
    await eventually(() => processed(same.id), 10_000, 'the same-version event to be consumed');
    expect(await storedVersion(variant.variantId)).to.deep.equal({ stock_version: 5, available: 40 });
  });

  it('when the same event is delivered twice, then it is applied once', async () => {
    const product = await activeProduct();
    const [variant] = product.variants as [{ variantId: string; productId: string }];
    const event = stockChanged(variant, { stockVersion: 1, available: 30 });
    await f.publish(event);
    await eventually(async () => (await listedStatus(product)) === 'in_stock', 10_000, 'in_stock');

    // Wind the read model back as if the first delivery had never happened: only the inbox can now
    // tell the redelivery is a duplicate (the stock version alone would let it through).
    await f.service.deps.db.updateTable('variant_stock').set({ stock_version: 0, available: 0, stock_status: 'out_of_stock' }).where('variant_id', '=', variant.variantId).execute();
    await f.publish(event);
    // Messages are handled in order, so once a later one is applied the duplicate has been seen.
    const other = await activeProduct();
    await f.publish(stockChanged(other.variants[0] as { variantId: string; productId: string }, { stockVersion: 1, available: 9 }));
    await eventually(async () => (await listedStatus(other)) === 'in_stock', 10_000, 'the later event');

    expect(await inboxCount(event.id)).to.equal(1);
    expect(await storedVersion(variant.variantId)).to.deep.equal({ stock_version: 0, available: 0 });
  });

  it('when stock is reported for a variant the catalog does not know, then it is kept and nothing fails', async () => {
    const stranger = { variantId: randomUUID(), productId: randomUUID() };
    const event = stockChanged(stranger, { stockVersion: 3, available: 8 });
    await f.publish(event);
    await eventually(() => processed(event.id), 10_000, 'the event to be consumed');
    expect(await storedVersion(stranger.variantId)).to.deep.equal({ stock_version: 3, available: 8 });
  });

  it('when a deleted or inactive product gets stock, then shoppers still do not see it', async () => {
    const product = await activeProduct();
    await f.api.post(`/admin/products/${product.id}/deactivate`, undefined, { token: f.admin.token });
    const event = stockChanged(product.variants[0] as { variantId: string; productId: string }, { stockVersion: 1, available: 99 });
    await f.publish(event);
    await eventually(() => processed(event.id), 10_000, 'the event to be consumed');
    expect((await f.api.get(`/products/${product.id}`)).status).to.equal(404);
    expect((await f.api.get(`/admin/products/${product.id}`, { token: f.admin.token })).body.stockStatus).to.equal('in_stock');
  });
});
