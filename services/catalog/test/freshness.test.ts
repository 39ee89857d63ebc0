import { expect } from 'chai';
import { eventually, judgeFreshness, startPolling } from '@shop/testkit';
import type { RunningCatalogService } from '../src/service';
import { startCatalogFixture, stockChanged, usd, type CatalogFixture, type CatalogReplica } from './catalog.fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** What a shopper sees of the product: on its page, or as an item of a listing. */
interface Seen {
  amount: number;
  stockStatus: string;
}

describe('catalog service: a shopper sees a change within a second of its commit', function () {
  this.timeout(60_000);
  let f: CatalogFixture;
  let replica: CatalogReplica;
  before(async () => {
    f = await startCatalogFixture();
    replica = await f.startReplica();
  });
  after(() => f.stop());

  it('while shoppers poll a product page and its category listing on two replicas, a price change (admin route) and a stock status change (inventory event) show within 1 s of their commits', async () => {
    const category = await f.createCategory();
    const product = await f.createProduct({ status: 'active', categoryId: category.id, price: usd(1000) });
    const variant = { variantId: product.variants[0].id as string, productId: product.id as string };
    await f.publish(stockChanged(variant, { stockVersion: 1, available: 50 }));
    for (const service of [f.service, replica.service]) {
      await eventually(async () => (await fetch(`${service.url}/products/${product.id}`).then((r): Promise<any> => r.json())).stockStatus === 'in_stock', 10_000, 'in stock');
    }

    const page = (service: RunningCatalogService) => async (): Promise<Seen> => {
      const body = await fetch(`${service.url}/products/${product.id}`).then((r): Promise<any> => r.json());
      return { amount: body.price.amount, stockStatus: body.stockStatus };
    };
    const listing = (service: RunningCatalogService) => async (): Promise<Seen> => {
      const body = await fetch(`${service.url}/products?categoryId=${category.id}`).then((r): Promise<any> => r.json());
      const item = body.items.find((p: { id: string }) => p.id === product.id);
      return { amount: item.price.amount, stockStatus: item.stockStatus };
    };
    const services = { 'replica 1': f.service, 'replica 2': replica.service };
    const pollers = Object.entries(services).flatMap(([name, service]) => [
      { name: `${name} product page`, poller: startPolling(page(service)) },
      { name: `${name} category listing`, poller: startPolling(listing(service)) },
    ]);
    await sleep(300);
    const hitsBefore = Object.values(services).map((s) => s.deps.answers.stats().hits);

    // Each commit's time is a moment inside its transaction, before the commit: the promise is judged from no later than the commit.
    const patched = await f.api.patch(`/admin/products/${product.id}`, { price: usd(1500) }, { token: f.admin.token });
    expect(patched.status).to.equal(200);
    const priceCommittedAt = Date.parse(patched.body.updatedAt);
    await f.publish(stockChanged(variant, { stockVersion: 2, available: 0 }));
    const stockRow = await eventually(
      () => f.service.deps.db.selectFrom('variant_stock').select('updated_at').where('variant_id', '=', variant.variantId).where('stock_version', '=', 2).executeTakeFirst(),
      10_000,
      'the stock status to be committed',
    );
    const stockCommittedAt = stockRow.updated_at.getTime();
    await sleep(Math.max(priceCommittedAt, stockCommittedAt) + 1_500 - Date.now());

    for (const { name, poller } of pollers) {
      const samples = await poller.stop();
      expect(samples[0]?.value, `${name}: before the changes`).to.deep.equal({ amount: 1000, stockStatus: 'in_stock' });
      const price = judgeFreshness(samples, priceCommittedAt, (seen) => seen.amount === 1500);
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
    // The pages came from memory meanwhile, not from a read per request.
    Object.values(services).forEach((service, i) => expect(service.deps.answers.stats().hits).to.be.greaterThan((hitsBefore[i] as number) + 10));
  });
});
