import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually, judgeFreshness, startPolling, type Sample } from '@shop/testkit';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
/** The catalog's ETag of a JSON body: a SHA-1 of its bytes as the catalog wrote them. */
const etagOf = (body: unknown) => `"${createHash('sha1').update(JSON.stringify(body)).digest('base64url')}"`;
// Each poller pauses between requests, so the pollers together stay far below the gateway's rate limit.
const POLL_PAUSE_MS = 20;

/** What a shopper sees of the product: on its page, or as an item of a listing. */
interface Seen {
  amount: number;
  stockStatus: string;
}

describe('end to end: a shopper sees catalog changes within a second, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  let admin: string;

  before(async () => {
    shop = await sharedShop();
    admin = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
  });

  /** An active product with one variant, in a category of its own, in stock once the inventory has reported. */
  async function stockedProduct() {
    const tag = randomUUID().slice(0, 6);
    const category = await shop.api.post('/admin/categories', { name: `Lanterns ${tag}` }, { token: admin });
    expect(category.status).to.equal(201);
    const created = await shop.api.post(
      '/admin/products',
      { name: `Storm Lantern ${tag}`, description: 'Burns for twelve hours.', price: usd(5000), categoryId: category.body.id, status: 'active', initialStock: 10 },
      { token: admin },
    );
    expect(created.status).to.equal(201);
    const product = { id: created.body.id as string, variantId: created.body.variants[0].id as string, categoryId: category.body.id as string };
    await eventually(async () => (await shop.api.get(`/products/${product.id}`)).body.stockStatus === 'in_stock', 15_000, 'the product in stock');
    return product;
  }

  it("when a shopper reads products and categories, then the catalog's ETag and Cache-Control come through the gateway untouched, and a revalidation with the ETag is a 304 without a body", async () => {
    const product = await stockedProduct();
    for (const path of [`/products/${product.id}`, `/products?categoryId=${product.categoryId}&sort=price`, '/categories']) {
      const response = await shop.api.get(path);
      expect(response.status, path).to.equal(200);
      expect(response.headers.get('etag'), path).to.equal(etagOf(response.body));
      expect(response.headers.get('cache-control'), path).to.equal('public, no-cache');
      const revalidated = await shop.api.get(path, { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(revalidated.status, `${path} revalidated`).to.equal(304);
      expect(revalidated.body, `${path} revalidated`).to.equal(undefined);
    }
  });

  it('while a shopper polls a product page and its category listing, a price change (admin) and a stock count to 0 (inventory, then its event) show within 1 s of their commits in the catalog', async () => {
    const product = await stockedProduct();
    const page = startPolling(async (): Promise<Seen> => {
      const { body } = await shop.api.get(`/products/${product.id}`);
      return { amount: body.price.amount, stockStatus: body.stockStatus };
    }, POLL_PAUSE_MS);
    const listing = startPolling(async (): Promise<Seen> => {
      const { body } = await shop.api.get(`/products?categoryId=${product.categoryId}`);
      const item = body.items.find((p: { id: string }) => p.id === product.id);
      return { amount: item.price.amount, stockStatus: item.stockStatus };
    }, POLL_PAUSE_MS);
    // The admin's view is never kept in memory: it shows when the catalog committed the stock status.
    const adminView = startPolling(async () => (await shop.api.get(`/admin/products/${product.id}`, { token: admin })).body.stockStatus as string, POLL_PAUSE_MS);
    await sleep(300);

    const patched = await shop.api.patch(`/admin/products/${product.id}`, { price: usd(6500) }, { token: admin });
    expect(patched.status).to.equal(200);
    // Set inside the transaction, before its commit.
    const priceCommittedAt = Date.parse(patched.body.updatedAt);
    const counted = await shop.api.put(`/admin/inventory/${product.variantId}`, { quantity: 0, reason: 'stock count' }, { token: admin });
    expect(counted.status).to.equal(200);
    const firstOut = await eventually(() => {
      const index = adminView.samples.findIndex((s) => s.value === 'out_of_stock');
      return index === -1 ? undefined : index;
    }, 15_000, 'the catalog to commit out_of_stock');
    expect(firstOut, 'admin reads before the stock count').to.be.at.least(1);
    // The admin read before the first one showing it still saw in_stock: the commit came after that read began.
    const stockCommittedAt = (adminView.samples[firstOut - 1] as Sample<string>).startedAt;
    await sleep(Math.max(priceCommittedAt, stockCommittedAt) + 1_500 - Date.now());

    await adminView.stop();
    for (const [name, poller] of [
      ['product page', page],
      ['category listing', listing],
    ] as const) {
      const samples = await poller.stop();
      expect(samples[0]?.value, `${name}: before the changes`).to.deep.equal({ amount: 5000, stockStatus: 'in_stock' });
      const price = judgeFreshness(samples, priceCommittedAt, (seen) => seen.amount === 6500);
      const stock = judgeFreshness(samples, stockCommittedAt, (seen) => seen.stockStatus === 'out_of_stock');
      for (const [change, verdict] of [
        ['price', price],
        ['stock status', stock],
      ] as const) {
        expect(verdict.judged, `${name}: answers asked for 1 s or more after the ${change} commit`).to.be.at.least(5);
        expect(verdict.stale, `${name}: stale ${change} 1 s or more after its commit`).to.deep.equal([]);
        expect(verdict.firstSeenAfterMs, `${name}: ${change} seen`).to.be.below(1_000);
      }
    }
  });
});
