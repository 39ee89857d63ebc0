import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { inventoryStockChanged, productCreated, productUpdated, type Money, type ProductCreatedV1, type StockStatus } from '@shop/contracts';
import { eventually } from '@shop/testkit';
import { startCartFixture, type CartFixture } from './cart.fixture';

interface FeedProduct {
  productId: string;
  name: string;
  status: 'draft' | 'active' | 'inactive';
  deleted: boolean;
  price: Money;
  variants: Array<{ variantId: string; sku: string; name: string; price: Money }>;
  version: number;
}

/**
 * A stand-in for the catalog's product feed, two products a page. It answers nothing until
 * `open()`: the test first sends the events the feed must not overwrite.
 */
async function startFakeCatalogFeed(products: FeedProduct[]) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const pagesAsked: Array<string | null> = [];
  const server = http.createServer((req, res) => {
    void opened.then(() => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method !== 'GET' || url.pathname !== '/internal/products/feed') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such route', details: {} } }));
        return;
      }
      const after = url.searchParams.get('after');
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), 2);
      pagesAsked.push(after);
      const rest = [...products].sort((a, b) => (a.productId < b.productId ? -1 : 1)).filter((p) => !after || p.productId > after);
      const items = rest.slice(0, limit);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items, next: rest.length > limit ? items.at(-1)!.productId : null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => open(),
    pagesAsked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const usd = (amount: number): Money => ({ amount, currency: 'USD' });

function feedProduct(name: string, options: { status?: FeedProduct['status']; price?: number; variantPrices?: number[]; version?: number } = {}): FeedProduct {
  const productId = randomUUID();
  const price = usd(options.price ?? 1000);
  return {
    productId,
    name,
    status: options.status ?? 'active',
    deleted: false,
    price,
    variants: (options.variantPrices ?? [price.amount]).map((amount, i) => ({ variantId: randomUUID(), sku: `FEED-${productId.slice(0, 6)}-${i}`, name: `Size ${i + 1}`, price: usd(amount) })),
    version: options.version ?? 4,
  };
}

describe('filling the read models from the feeds at start', function () {
  this.timeout(30_000);
  let f: CartFixture;
  let catalog: Awaited<ReturnType<typeof startFakeCatalogFeed>>;
  const kettle = feedProduct('Kettle from the feed', { price: 2500 });
  const mugs = feedProduct('Mugs from the feed', { variantPrices: [400, 450] });
  const retired = feedProduct('Retired from the feed', { status: 'inactive' });
  /** Known from events at version 3 before the feed, which still has it at version 2. */
  let teapot: ProductCreatedV1;
  const newerName = 'Teapot, as the newest event names it';

  before(async () => {
    teapot = {
      productId: randomUUID(),
      name: 'Teapot as first created',
      description: '',
      price: usd(1500),
      categoryId: randomUUID(),
      status: 'active',
      variants: [{ variantId: randomUUID(), sku: 'TP-EVT-1', name: 'Default', price: usd(1500) }],
      initialStock: 10,
      createdBy: null,
      createdAt: new Date().toISOString(),
    };
    const staleTeapot: FeedProduct = { ...teapot, name: 'Teapot as the older snapshot names it', status: 'active', deleted: false, price: usd(1900), variants: [{ ...teapot.variants[0]!, price: usd(1900) }], version: 2 };
    catalog = await startFakeCatalogFeed([kettle, mugs, retired, staleTeapot]);
    f = await startCartFixture({ CATALOG_BACKFILL: 'true', CATALOG_SERVICE_URL: catalog.url });

    const [mugsInStock, mugsSoldOut] = mugs.variants as [FeedProduct['variants'][0], FeedProduct['variants'][0]];
    const teapotVariant = teapot.variants[0]!.variantId;
    // The stock feed: the teapot's level older than the event below; a marker sorting last, so its row means the whole feed was read.
    const marker = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    const level = (productId: string, variantId: string, available: number, stockStatus: StockStatus, stockVersion: number) => ({ variantId, productId, available, stockStatus, lowStockThreshold: 3, stockVersion });
    f.inventory.feed.push(
      level(kettle.productId, kettle.variants[0]!.variantId, 7, 'in_stock', 3),
      level(mugs.productId, mugsInStock.variantId, 2, 'low_stock', 9),
      level(mugs.productId, mugsSoldOut.variantId, 0, 'out_of_stock', 4),
      level(teapot.productId, teapotVariant, 0, 'out_of_stock', 4),
      level(randomUUID(), marker, 1, 'in_stock', 1),
    );
    for (const [variantId, available] of [
      [kettle.variants[0]!.variantId, 7],
      [mugsInStock.variantId, 2],
      // One came back since the feed's snapshot: it can be added, and still shows as the read model has it.
      [mugsSoldOut.variantId, 1],
      [retired.variants[0]!.variantId, 5],
      [teapotVariant, 6],
    ] as const) {
      f.inventory.available.set(variantId, available);
    }

    await f.consumed(await f.publish(productCreated, teapot, { type: 'product', id: teapot.productId, version: 1 }));
    await f.consumed(
      await f.publish(
        productUpdated,
        {
          productId: teapot.productId,
          name: newerName,
          price: usd(2100),
          changedFields: { name: newerName, price: usd(2100) },
          variants: [{ ...teapot.variants[0]!, price: usd(2100) }],
          updatedBy: null,
          updatedAt: new Date().toISOString(),
        },
        { type: 'product', id: teapot.productId, version: 3 },
      ),
    );
    await f.consumed(
      await f.publish(
        inventoryStockChanged,
        { inventoryId: randomUUID(), variantId: teapotVariant, productId: teapot.productId, onHand: 6, reserved: 0, available: 6, lowStockThreshold: 2, stockStatus: 'in_stock', stockVersion: 5, changedAt: new Date().toISOString() },
        { type: 'stock', id: teapotVariant, version: 5 },
      ),
    );

    catalog.open();
    await eventually(
      async () => (await f.service.deps.db.selectFrom('variant_stock').select('variant_id').where('variant_id', '=', marker).executeTakeFirst()) !== undefined,
      10_000,
      'the stock feed read to its end',
    );
  });
  after(async () => {
    catalog?.open();
    await f?.stop();
    await catalog?.close();
  });

  it('when products are known only from the feed, then they can be added to a cart, and the stock levels from the feed show', async () => {
    const { token } = await f.customer();
    const [mugsInStock, mugsSoldOut] = mugs.variants as [FeedProduct['variants'][0], FeedProduct['variants'][0]];

    const kettleAdded = await f.api.post('/cart/items', { productId: kettle.productId, quantity: 1 }, { token });
    await f.api.post('/cart/items', { productId: mugs.productId, variantId: mugsInStock.variantId, quantity: 2 }, { token });
    await f.api.post('/cart/items', { productId: mugs.productId, variantId: mugsSoldOut.variantId, quantity: 1 }, { token });
    const retiredAdded = await f.api.post('/cart/items', { productId: retired.productId, quantity: 1 }, { token });

    expect(kettleAdded.status).to.equal(201);
    expect([retiredAdded.status, retiredAdded.body.error.code]).to.deep.equal([409, 'PRODUCT_INACTIVE']);
    const cart = (await f.api.get('/cart', { token })).body;
    expect(cart.items.map((i: Record<string, unknown>) => [i.productName, i.variantName, i.sku, i.quantity, i.unitPrice, i.available])).to.deep.equal([
      [kettle.name, 'Size 1', kettle.variants[0]!.sku, 1, usd(2500), true],
      [mugs.name, 'Size 1', mugsInStock.sku, 2, usd(400), true],
      [mugs.name, 'Size 2', mugsSoldOut.sku, 1, usd(450), false],
    ]);
    expect(cart.total).to.deep.equal(usd(2500 + 800));
    expect(catalog.pagesAsked.length).to.be.at.least(2);
  });

  it('when the feed has an older snapshot than an event brought, then it does not overwrite it', async () => {
    const { token } = await f.customer();

    const response = await f.api.post('/cart/items', { productId: teapot.productId, quantity: 1 }, { token });

    expect(response.status).to.equal(201);
    expect(response.body.items[0]).to.deep.include({ productName: newerName, unitPrice: usd(2100), available: true });
  });
});
