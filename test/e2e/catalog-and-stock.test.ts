import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import amqplib from 'amqplib';
import { eventually, testAmqpUrl } from '@shop/testkit';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';

const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('end to end: catalog and stock, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;
  let connection: amqplib.ChannelModel;
  let channel: amqplib.Channel;
  let outOfStockQueue: string;

  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    // A queue of the test's own, to see what the inventory service publishes.
    connection = await amqplib.connect(await testAmqpUrl());
    channel = await connection.createChannel();
    await channel.assertExchange('shop.events', 'topic', { durable: true });
    outOfStockQueue = (await channel.assertQueue('', { exclusive: true })).queue;
    await channel.bindQueue(outOfStockQueue, 'shop.events', 'inventory.out-of-stock.v1');
  });
  after(async () => {
    await connection.close();
  });

  async function outOfStockEventFor(variantId: string) {
    return eventually(async () => {
      const message = await channel.get(outOfStockQueue, { noAck: true });
      if (!message) return undefined;
      const event = JSON.parse(message.content.toString());
      return event.data.variantId === variantId ? event : undefined;
    }, 15_000, `inventory.out-of-stock for ${variantId}`);
  }

  it('admin builds a tree and a product with two variants -> in_stock for shoppers -> stock set to 0 -> out_of_stock and the event was published', async () => {
    const tag = randomUUID().slice(0, 6);
    const root = await shop.api.post('/admin/categories', { name: `Outdoor ${tag}` }, { token: admin });
    expect(root.status).to.equal(201);
    const child = await shop.api.post('/admin/categories', { name: `Camping ${tag}`, parentCategoryId: root.body.id }, { token: admin });
    const leaf = await shop.api.post('/admin/categories', { name: `Tents ${tag}`, parentCategoryId: child.body.id }, { token: admin });
    expect(leaf.status).to.equal(201);
    const tooDeep = await shop.api.post('/admin/categories', { name: `Pegs ${tag}`, parentCategoryId: leaf.body.id }, { token: admin });
    expect(tooDeep.status).to.equal(422);
    expect(tooDeep.body.error.code).to.equal('MAX_DEPTH_EXCEEDED');

    const created = await shop.api.post(
      '/admin/products',
      {
        name: `Trail Tent ${tag}`,
        description: 'A two-person tent that pitches in three minutes.',
        price: usd(24900),
        categoryId: leaf.body.id,
        status: 'active',
        initialStock: 12,
        variants: [
          { sku: `TENT-${tag}-GREEN`, name: 'Green' },
          { sku: `TENT-${tag}-ORANGE`, name: 'Orange', price: usd(25900) },
        ],
      },
      { token: admin },
    );
    expect(created.status).to.equal(201);
    const productId: string = created.body.id;
    const variantIds: string[] = created.body.variants.map((v: { id: string }) => v.id);
    expect(variantIds).to.have.length(2);

    // Shoppers find it under the root category (sub-categories included), in stock once inventory has reported.
    const listed = await eventually(async () => {
      const page = await shop.api.get(`/products?categoryId=${root.body.id}`);
      const item = page.body.items?.find((p: { id: string }) => p.id === productId);
      return item?.stockStatus === 'in_stock' ? item : undefined;
    }, 15_000, 'product listed in stock');
    expect(listed.price).to.deep.equal(usd(24900));

    const details = await shop.api.get(`/products/${productId}`);
    expect(details.status).to.equal(200);
    expect(details.body.variants.map((v: { price: unknown }) => v.price)).to.deep.equal([usd(24900), usd(25900)]);

    const stock = await shop.api.get(`/admin/inventory/${variantIds[0]}`, { token: admin });
    expect(stock.body).to.include({ onHand: 12, reserved: 0, available: 12 });

    for (const variantId of variantIds) {
      const set = await shop.api.put(`/admin/inventory/${variantId}`, { quantity: 0, reason: 'stock count' }, { token: admin });
      expect(set.status).to.equal(200);
    }

    await eventually(async () => {
      const page = await shop.api.get(`/products?categoryId=${leaf.body.id}`);
      return page.body.items?.find((p: { id: string }) => p.id === productId)?.stockStatus === 'out_of_stock';
    }, 15_000, 'product listed out of stock');
    const event = await outOfStockEventFor(variantIds[0] as string);
    expect(event.data.productId).to.equal(productId);
  });

  it('a shopper cannot see a draft product, in the list or by id; the admin can', async () => {
    const category = await shop.api.post('/admin/categories', { name: `Drafts ${randomUUID().slice(0, 6)}` }, { token: admin });
    const draft = await shop.api.post(
      '/admin/products',
      { name: 'Unreleased Stove', description: 'Coming soon.', price: usd(9900), categoryId: category.body.id, initialStock: 5 },
      { token: admin },
    );
    expect(draft.status).to.equal(201);
    expect(draft.body.status).to.equal('draft');

    const byId = await shop.api.get(`/products/${draft.body.id}`);
    expect(byId.status).to.equal(404);
    expect(byId.body.error.code).to.equal('PRODUCT_NOT_FOUND');
    const listed = await shop.api.get(`/products?categoryId=${category.body.id}`);
    expect(listed.body.total).to.equal(0);
    expect((await shop.api.get(`/admin/products/${draft.body.id}`, { token: admin })).status).to.equal(200);

    const shopper = await shop.api.post('/admin/products', { name: 'Sneaky', description: '', price: usd(100), categoryId: category.body.id }, { token: undefined });
    expect(shopper.status).to.equal(401);
  });
});
