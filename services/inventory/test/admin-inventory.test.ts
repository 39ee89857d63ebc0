import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { httpClient } from '@shop/testkit';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

describe('inventory service: admin stock management', function () {
  this.timeout(30_000);
  let f: InventoryFixture;
  let admin: { token: string };
  before(async () => {
    f = await startInventoryFixture();
    admin = { token: f.adminToken };
  });
  after(() => f.stop());

  const path = (variantId: string, suffix = '') => `/admin/inventory/${variantId}${suffix}`;

  describe('access', () => {
    const routes = (variantId: string): Array<[string, string, unknown?]> => [
      ['GET', path(variantId)],
      ['PUT', path(variantId), { quantity: 1, reason: 'count' }],
      ['POST', path(variantId, '/adjustments'), { adjustment: 1, reason: 'found' }],
      ['POST', path(variantId, '/restock'), { quantity: 1 }],
      ['PUT', path(variantId, '/threshold'), { lowStockThreshold: 1 }],
      ['GET', path(variantId, '/audit')],
    ];

    it('when no token is sent, then every admin route answers 401 UNAUTHORIZED', async () => {
      const { variantIds } = await f.createProduct();
      for (const [method, url, body] of routes(variantIds[0]!)) {
        const response = await f.api.call(method, url, { body });
        expect(response.status, `${method} ${url}`).to.equal(401);
        expect(response.body.error.code).to.equal('UNAUTHORIZED');
      }
    });

    it('when the token is invalid, then 401 UNAUTHORIZED', async () => {
      const { variantIds } = await f.createProduct();
      const response = await f.api.get(path(variantIds[0]!), { token: 'not-a-jwt' });
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('UNAUTHORIZED');
    });

    it('when a customer (not an admin) calls, then every admin route answers 403 FORBIDDEN and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      for (const [method, url, body] of routes(variantIds[0]!)) {
        const response = await f.api.call(method, url, { body, token: f.customerToken });
        expect(response.status, `${method} ${url}`).to.equal(403);
        expect(response.body.error.code).to.equal('FORBIDDEN');
      }
      expect((await f.api.get(path(variantIds[0]!), admin)).body.onHand).to.equal(10);
    });
  });

  describe('GET /admin/inventory/:variantId', () => {
    it('when the variant has stock, then 200 with on hand, reserved, available, threshold and status', async () => {
      const { productId, variantIds } = await f.createProduct({ initialStock: 12 });
      const response = await f.api.get(path(variantIds[0]!), admin);
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({ variantId: variantIds[0], productId, onHand: 12, reserved: 0, available: 12, lowStockThreshold: 5, stockStatus: 'in_stock' });
    });

    it('when the variant is unknown, then 404 PRODUCT_NOT_FOUND; a malformed id, 400 VALIDATION_ERROR', async () => {
      const missing = await f.api.get(path(randomUUID()), admin);
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('PRODUCT_NOT_FOUND');
      const malformed = await f.api.get(path('not-a-uuid'), admin);
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('PUT /admin/inventory/:variantId', () => {
    it('when an admin sets a quantity, then on hand is that quantity, audited and announced', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      const response = await f.api.put(path(variantId), { quantity: 42, reason: 'annual count' }, admin);
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ onHand: 42, reserved: 0, available: 42, stockStatus: 'in_stock' });

      const [event] = await f.events('inventory.quantity-set', variantId);
      expect(event).to.include({ previous: 10, new: 42, reason: 'annual count', userId: f.adminId, available: 42, lowStockThreshold: 5, stockStatus: 'in_stock' });
      const changed = await f.events('inventory.stock-changed', variantId);
      expect(changed.at(-1)).to.include({ onHand: 42, reserved: 0, available: 42, stockStatus: 'in_stock', stockVersion: 2 });
    });

    it('when the quantity is negative, then 422 NEGATIVE_QUANTITY and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const response = await f.api.put(path(variantIds[0]!), { quantity: -1, reason: 'oops' }, admin);
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('NEGATIVE_QUANTITY');
      expect((await f.api.get(path(variantIds[0]!), admin)).body.onHand).to.equal(10);
    });

    it('when the quantity is below what orders hold, then 422 NEGATIVE_STOCK with the reserved quantity', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      await f.api.post('/internal/reservations', { orderId: randomUUID(), lines: [{ variantId, quantity: 4 }] });
      const response = await f.api.put(path(variantId), { quantity: 3, reason: 'count' }, admin);
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('NEGATIVE_STOCK');
      expect(response.body.error.details).to.include({ reserved: 4 });
      expect((await f.api.put(path(variantId), { quantity: 4, reason: 'count' }, admin)).body).to.include({ onHand: 4, reserved: 4, available: 0 });
    });

    it('when the body is incomplete or not an integer, then 400 VALIDATION_ERROR', async () => {
      const { variantIds } = await f.createProduct();
      for (const body of [{ quantity: 1.5, reason: 'x' }, { quantity: '5', reason: 'x' }, { quantity: 5 }, { reason: 'x' }, { quantity: 5, reason: '' }]) {
        const response = await f.api.put(path(variantIds[0]!), body, admin);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when the variant is unknown, then 404 PRODUCT_NOT_FOUND', async () => {
      const response = await f.api.put(path(randomUUID()), { quantity: 5, reason: 'x' }, admin);
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PRODUCT_NOT_FOUND');
    });
  });

  describe('POST /admin/inventory/:variantId/adjustments', () => {
    it('when an admin adjusts up or down, then on hand moves by the delta and inventory.adjusted says so', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      expect((await f.api.post(path(variantId, '/adjustments'), { adjustment: 5, reason: 'found in back room' }, admin)).body.onHand).to.equal(15);
      const down = await f.api.post(path(variantId, '/adjustments'), { adjustment: -3, reason: 'damaged' }, admin);
      expect(down.status).to.equal(200);
      expect(down.body).to.include({ onHand: 12, available: 12 });
      const events = await f.events('inventory.adjusted', variantId);
      expect(events.map((e) => [e.previous, e.adjustment, e.new, e.reason])).to.deep.equal([
        [10, 5, 15, 'found in back room'],
        [15, -3, 12, 'damaged'],
      ]);
    });

    it('when the result would be below the available stock (under what is reserved), then 422 NEGATIVE_STOCK and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      await f.api.post('/internal/reservations', { orderId: randomUUID(), lines: [{ variantId, quantity: 4 }] });
      const response = await f.api.post(path(variantId, '/adjustments'), { adjustment: -7, reason: 'theft' }, admin);
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('NEGATIVE_STOCK');
      expect(response.body.error.details).to.include({ onHand: 10, reserved: 4, available: 6 });
      expect((await f.api.get(path(variantId), admin)).body).to.include({ onHand: 10, reserved: 4 });
      expect((await f.api.post(path(variantId, '/adjustments'), { adjustment: -6, reason: 'theft' }, admin)).body).to.include({ onHand: 4, available: 0 });
    });

    it('when the adjustment is 0, a fraction or missing its reason, then 400 VALIDATION_ERROR', async () => {
      const { variantIds } = await f.createProduct();
      for (const body of [{ adjustment: 0, reason: 'x' }, { adjustment: 1.5, reason: 'x' }, { adjustment: 2 }]) {
        const response = await f.api.post(path(variantIds[0]!, '/adjustments'), body, admin);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when the variant is unknown, then 404 PRODUCT_NOT_FOUND', async () => {
      const response = await f.api.post(path(randomUUID(), '/adjustments'), { adjustment: 1, reason: 'x' }, admin);
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PRODUCT_NOT_FOUND');
    });
  });

  describe('POST /admin/inventory/:variantId/restock (SEQ-INV-001)', () => {
    it('when an admin restocks, then on hand grows, the change is audited and inventory.restocked is emitted', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 3 });
      const variantId = variantIds[0]!;
      const response = await f.api.post(path(variantId, '/restock'), { quantity: 20, reason: 'delivery 4711' }, admin);
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ onHand: 23, available: 23, stockStatus: 'in_stock' });
      const [event] = await f.events('inventory.restocked', variantId);
      expect(event).to.include({ previous: 3, quantity: 20, new: 23, reason: 'delivery 4711', userId: f.adminId, stockStatus: 'in_stock' });
    });

    it('when no reason is given, then the restock is recorded with the default reason', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 3 });
      expect((await f.api.post(path(variantIds[0]!, '/restock'), { quantity: 2 }, admin)).body.onHand).to.equal(5);
      expect((await f.events('inventory.restocked', variantIds[0]!))[0]?.reason).to.equal('restock');
    });

    for (const quantity of [0, -4, 2.5, 'ten']) {
      it(`when the quantity is ${JSON.stringify(quantity)}, then 400 VALIDATION_ERROR`, async () => {
        const { variantIds } = await f.createProduct();
        const response = await f.api.post(path(variantIds[0]!, '/restock'), { quantity }, admin);
        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      });
    }

    it('when the variant is unknown, then 404 PRODUCT_NOT_FOUND', async () => {
      const response = await f.api.post(path(randomUUID(), '/restock'), { quantity: 5 }, admin);
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PRODUCT_NOT_FOUND');
    });
  });

  describe('PUT /admin/inventory/:variantId/threshold', () => {
    it('when an admin sets the threshold, then status follows it and stock-changed carries it', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 8 });
      const variantId = variantIds[0]!;
      const response = await f.api.put(path(variantId, '/threshold'), { lowStockThreshold: 10 }, admin);
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ lowStockThreshold: 10, stockStatus: 'low_stock' });
      expect((await f.events('inventory.stock-changed', variantId)).at(-1)).to.include({ lowStockThreshold: 10, stockStatus: 'low_stock', stockVersion: 2 });
      expect((await f.api.put(path(variantId, '/threshold'), { lowStockThreshold: 0 }, admin)).body.stockStatus).to.equal('in_stock');
    });

    it('when the threshold is negative, a fraction or missing, then 400 VALIDATION_ERROR', async () => {
      const { variantIds } = await f.createProduct();
      for (const body of [{ lowStockThreshold: -1 }, { lowStockThreshold: 1.5 }, {}]) {
        const response = await f.api.put(path(variantIds[0]!, '/threshold'), body, admin);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when the variant is unknown, then 404 PRODUCT_NOT_FOUND', async () => {
      const response = await f.api.put(path(randomUUID(), '/threshold'), { lowStockThreshold: 3 }, admin);
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('PRODUCT_NOT_FOUND');
    });
  });

  describe('GET /admin/inventory/:variantId/audit', () => {
    it('when stock was changed by admins and orders, then every change is listed newest first with who, why and by how much', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      const orderId = randomUUID();
      await f.api.put(path(variantId), { quantity: 20, reason: 'count' }, admin);
      await f.api.post(path(variantId, '/adjustments'), { adjustment: -2, reason: 'broken' }, admin);
      await f.api.post(path(variantId, '/restock'), { quantity: 5, reason: 'delivery' }, admin);
      await f.api.put(path(variantId, '/threshold'), { lowStockThreshold: 7 }, admin);
      await f.api.post('/internal/reservations', { orderId, lines: [{ variantId, quantity: 3 }] });
      await f.api.post(`/internal/reservations/${orderId}/release`, { reason: 'order cancelled' });

      const response = await f.api.get(path(variantId, '/audit'), admin);
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ page: 1, pageSize: 20, total: 7 });
      const rows = response.body.items.map((e: Record<string, unknown>) => [e.action, e.previous, e.new, e.delta, e.reason, e.userId, e.orderId]);
      expect(rows).to.deep.equal([
        ['released', 3, 0, -3, 'order cancelled', null, orderId],
        ['reserved', 0, 3, 3, null, null, orderId],
        ['threshold_set', 5, 7, 2, null, f.adminId, null],
        ['restocked', 18, 23, 5, 'delivery', f.adminId, null],
        ['adjusted', 20, 18, -2, 'broken', f.adminId, null],
        ['quantity_set', 10, 20, 10, 'count', f.adminId, null],
        ['initialized', 0, 10, 10, 'product created', f.adminId, null],
      ]);
      for (const entry of response.body.items) expect(Date.parse(entry.at)).to.be.closeTo(Date.now(), 60_000);

      const page = await f.api.get(path(variantId, '/audit?page=2&pageSize=5'), admin);
      expect(page.body.items.map((e: { action: string }) => e.action)).to.deep.equal(['quantity_set', 'initialized']);
    });

    it('when a change was refused, then it leaves no audit entry', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 1 });
      await f.api.post(path(variantIds[0]!, '/adjustments'), { adjustment: -2, reason: 'x' }, admin);
      expect((await f.api.get(path(variantIds[0]!, '/audit'), admin)).body.total).to.equal(1);
    });

    it('when the variant is unknown, then 404 PRODUCT_NOT_FOUND; a bad page, 400', async () => {
      const missing = await f.api.get(path(randomUUID(), '/audit'), admin);
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('PRODUCT_NOT_FOUND');
      const { variantIds } = await f.createProduct();
      expect((await f.api.get(path(variantIds[0]!, '/audit?pageSize=101'), admin)).status).to.equal(400);
    });
  });

  describe('health', () => {
    it('then /health/ready on the operations port reports the database and the broker; the service port has only /health/live', async () => {
      expect((await httpClient(f.service.opsUrl).get('/health/ready')).body).to.deep.equal({ status: 'ok', serving: true, checks: { database: 'ok', broker: 'ok' } });
      expect((await f.api.get('/health/ready')).status).to.equal(404);
      expect((await f.api.get('/health/live')).status).to.equal(200);
    });
  });
});
