import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { eventually } from '@shop/testkit';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

describe('inventory service: reservations (internal)', function () {
  this.timeout(60_000);
  let f: InventoryFixture;
  before(async () => {
    f = await startInventoryFixture({ RESERVATION_SWEEP_INTERVAL_MS: '200' });
  });
  after(() => f.stop());

  const reserve = (orderId: string, lines: Array<{ variantId: string; quantity: number }>) => f.api.post('/internal/reservations', { orderId, lines });
  const release = (orderId: string, reason = 'order cancelled') => f.api.post(`/internal/reservations/${orderId}/release`, { reason });
  const commit = (orderId: string) => f.api.post(`/internal/reservations/${orderId}/commit`);
  const deduct = (orderId: string) => f.api.post(`/internal/reservations/${orderId}/deduct`);
  const stock = async (variantId: string) => (await f.api.get(`/admin/inventory/${variantId}`, { token: f.adminToken })).body;
  const eventsOf = async (type: string, orderId: string) => (await f.events(type)).filter((e) => e.orderId === orderId);

  describe('POST /internal/reservations (SEQ-ORDER-001 step 4)', () => {
    it('when every line is available, then 201, reserved grows, available shrinks, one inventory.reserved with all lines', async () => {
      const { productId, variantIds } = await f.createProduct({ initialStock: 10, variants: 2 });
      const [a, b] = variantIds as [string, string];
      const orderId = randomUUID();
      const response = await reserve(orderId, [
        { variantId: a, quantity: 3 },
        { variantId: b, quantity: 1 },
      ]);
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ orderId, status: 'reserved', releasedAt: null, deductedAt: null });
      expect(response.body.lines).to.have.deep.members([
        { variantId: a, quantity: 3 },
        { variantId: b, quantity: 1 },
      ]);
      expect(await stock(a)).to.include({ onHand: 10, reserved: 3, available: 7 });
      expect(await stock(b)).to.include({ onHand: 10, reserved: 1, available: 9 });

      const [event] = await eventsOf('inventory.reserved', orderId);
      expect(event?.lines).to.have.deep.members([
        { variantId: a, productId, quantity: 3 },
        { variantId: b, productId, quantity: 1 },
      ]);
      expect((await f.events('inventory.stock-changed', a)).at(-1)).to.include({ reserved: 3, available: 7 });
    });

    it('when the same variant appears on two lines, then the quantities are reserved together', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const response = await reserve(randomUUID(), [
        { variantId: variantIds[0]!, quantity: 2 },
        { variantId: variantIds[0]!, quantity: 3 },
      ]);
      expect(response.body.lines).to.deep.equal([{ variantId: variantIds[0], quantity: 5 }]);
      expect((await stock(variantIds[0]!)).reserved).to.equal(5);
    });

    it('when the ids come in upper case, then the variant is found all the same', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const response = await reserve(randomUUID().toUpperCase(), [{ variantId: variantIds[0]!.toUpperCase(), quantity: 2 }]);
      expect(response.status).to.equal(201);
      expect(response.body.lines).to.deep.equal([{ variantId: variantIds[0], quantity: 2 }]);
      expect((await stock(variantIds[0]!)).reserved).to.equal(2);
      const query = await f.api.post('/internal/stock/query', { variantIds: [variantIds[0]!.toUpperCase()] });
      expect(query.body.items).to.deep.equal([{ variantId: variantIds[0], available: 8, stockStatus: 'in_stock' }]);
    });

    it('when one line is short, then 409 INSUFFICIENT_STOCK listing it and nothing at all is reserved', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 5, variants: 2 });
      const [a, b] = variantIds as [string, string];
      const orderId = randomUUID();
      const response = await reserve(orderId, [
        { variantId: a, quantity: 2 },
        { variantId: b, quantity: 6 },
      ]);
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('INSUFFICIENT_STOCK');
      expect(response.body.error.details.items).to.deep.equal([{ variantId: b, requested: 6, available: 5 }]);
      expect((await stock(a)).reserved).to.equal(0);
      expect((await stock(b)).reserved).to.equal(0);
      expect(await eventsOf('inventory.reserved', orderId)).to.have.length(0);
      // Nothing was recorded for the order, so it can try again once there is stock.
      expect((await release(orderId)).status).to.equal(404);
    });

    it('when a variant is unknown, then 409 INSUFFICIENT_STOCK with 0 available for it', async () => {
      const unknown = randomUUID();
      const response = await reserve(randomUUID(), [{ variantId: unknown, quantity: 1 }]);
      expect(response.status).to.equal(409);
      expect(response.body.error.details.items).to.deep.equal([{ variantId: unknown, requested: 1, available: 0 }]);
    });

    it('when the same orderId comes again, then 200 with the same reservation and nothing is reserved twice', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      const lines = [{ variantId: variantIds[0]!, quantity: 4 }];
      const first = await reserve(orderId, lines);
      const second = await reserve(orderId, lines);
      expect(first.status).to.equal(201);
      expect(second.status).to.equal(200);
      expect(second.body).to.deep.equal(first.body);
      expect((await stock(variantIds[0]!)).reserved).to.equal(4);
      expect(await eventsOf('inventory.reserved', orderId)).to.have.length(1);
    });

    it('when the same orderId comes with other lines, then 409 CONFLICT and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 4 }]);
      const response = await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 5 }]);
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
      expect((await stock(variantIds[0]!)).reserved).to.equal(4);
    });

    it('when the body is malformed, then 400 VALIDATION_ERROR', async () => {
      const variantId = randomUUID();
      for (const body of [
        {},
        { orderId: 'nope', lines: [{ variantId, quantity: 1 }] },
        { orderId: randomUUID(), lines: [] },
        { orderId: randomUUID(), lines: [{ variantId, quantity: 0 }] },
        { orderId: randomUUID(), lines: [{ variantId, quantity: 1.5 }] },
        { orderId: randomUUID(), lines: [{ variantId: 'x', quantity: 1 }] },
      ]) {
        const response = await f.api.post('/internal/reservations', body);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
      const raw = await f.api.call('POST', '/internal/reservations', { raw: '{"orderId":' });
      expect(raw.status).to.equal(400);
    });
  });

  describe('concurrency', () => {
    it('when 50 orders reserve 1 unit each of 10 available at once, then exactly 10 succeed, 40 get INSUFFICIENT_STOCK and available never goes negative', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      const orderIds = Array.from({ length: 50 }, () => randomUUID());

      const responses = await Promise.all(orderIds.map((orderId) => reserve(orderId, [{ variantId, quantity: 1 }])));

      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).to.have.length(10);
      expect(statuses.filter((s) => s === 409)).to.have.length(40);
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(refused.body.error.code).to.equal('INSUFFICIENT_STOCK');
        expect(refused.body.error.details.items).to.deep.equal([{ variantId, requested: 1, available: 0 }]);
      }
      expect(await stock(variantId)).to.include({ onHand: 10, reserved: 10, available: 0, stockStatus: 'out_of_stock' });
      const changed = await f.events('inventory.stock-changed', variantId);
      expect(changed.every((e) => e.available >= 0)).to.equal(true);
      expect(changed.map((e) => e.stockVersion)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(await f.events('inventory.out-of-stock', variantId)).to.have.length(1);
      expect(await f.events('inventory.low-stock', variantId)).to.have.length(1);
    });

    it('when the same reservation arrives 10 times at once, then it is reserved once: one 201, nine 200', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      const lines = [{ variantId: variantIds[0]!, quantity: 3 }];

      const responses = await Promise.all(Array.from({ length: 10 }, () => reserve(orderId, lines)));

      expect(responses.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect((await stock(variantIds[0]!)).reserved).to.equal(3);
      expect(await eventsOf('inventory.reserved', orderId)).to.have.length(1);
    });

    it('when orders reserve overlapping variants in opposite order at once, then none deadlocks and all succeed', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 100, variants: 3 });
      const [a, b, c] = variantIds as [string, string, string];
      const orders = Array.from({ length: 30 }, (_, i) =>
        i % 2 === 0
          ? [
              { variantId: a, quantity: 1 },
              { variantId: b, quantity: 1 },
              { variantId: c, quantity: 1 },
            ]
          : [
              { variantId: c, quantity: 1 },
              { variantId: b, quantity: 1 },
              { variantId: a, quantity: 1 },
            ],
      );
      const responses = await Promise.all(orders.map((lines) => reserve(randomUUID(), lines)));
      expect(responses.map((r) => r.status).every((s) => s === 201)).to.equal(true);
      for (const variantId of variantIds) expect((await stock(variantId)).reserved).to.equal(30);
    });

    it('when releases and admin changes race with reservations, then the row always adds up', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 20 });
      const variantId = variantIds[0]!;
      const held = Array.from({ length: 10 }, () => randomUUID());
      for (const orderId of held) await reserve(orderId, [{ variantId, quantity: 1 }]);

      await Promise.all([
        ...held.map((orderId) => release(orderId)),
        ...Array.from({ length: 10 }, () => reserve(randomUUID(), [{ variantId, quantity: 1 }])),
        ...Array.from({ length: 5 }, () => f.api.post(`/admin/inventory/${variantId}/restock`, { quantity: 1 }, { token: f.adminToken })),
      ]);

      expect(await stock(variantId)).to.include({ onHand: 25, reserved: 10, available: 15 });
      const { rows } = await sql<{ reserved: number }>`SELECT coalesce(sum((l->>'quantity')::int), 0)::int AS reserved
        FROM reservations, jsonb_array_elements(lines) AS l WHERE status = 'reserved' AND l->>'variantId' = ${variantId}`.execute(f.service.deps.db);
      expect(rows[0]?.reserved).to.equal(10);
    });
  });

  describe('POST /internal/reservations/:orderId/release (SEQ-ORDER-005 step 5)', () => {
    it('when the order holds stock, then 200, reserved goes back to available and inventory.released says why', async () => {
      const { productId, variantIds } = await f.createProduct({ initialStock: 10 });
      const variantId = variantIds[0]!;
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId, quantity: 4 }]);

      const response = await release(orderId, 'customer cancelled');
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ orderId, status: 'released' });
      expect(Date.parse(response.body.releasedAt)).to.be.closeTo(Date.now(), 60_000);
      expect(await stock(variantId)).to.include({ reserved: 0, available: 10 });
      const [event] = await eventsOf('inventory.released', orderId);
      expect(event).to.deep.include({ reason: 'customer cancelled', lines: [{ variantId, productId, quantity: 4 }] });
    });

    it('when released again, then 200 with the same answer and no change', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 4 }]);
      const first = await release(orderId);
      const again = await Promise.all([release(orderId), release(orderId)]);
      for (const response of again) {
        expect(response.status).to.equal(200);
        expect(response.body).to.deep.equal(first.body);
      }
      expect((await stock(variantIds[0]!)).reserved).to.equal(0);
      expect(await eventsOf('inventory.released', orderId)).to.have.length(1);
    });

    it('when the order reserved again after a release, then the released reservation is returned and nothing is reserved', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      const lines = [{ variantId: variantIds[0]!, quantity: 4 }];
      await reserve(orderId, lines);
      await release(orderId);
      const replay = await reserve(orderId, lines);
      expect(replay.status).to.equal(200);
      expect(replay.body.status).to.equal('released');
      expect((await stock(variantIds[0]!)).reserved).to.equal(0);
    });

    it('when the order has no reservation, then 404 NOT_FOUND; a malformed id or missing reason, 400', async () => {
      const missing = await release(randomUUID());
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('NOT_FOUND');
      expect((await f.api.post('/internal/reservations/nope/release', { reason: 'x' })).status).to.equal(400);
      expect((await f.api.post(`/internal/reservations/${randomUUID()}/release`, {})).body.error.code).to.equal('VALIDATION_ERROR');
    });

    it('when the stock was already deducted (shipped), then 409 CONFLICT and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 4 }]);
      await commit(orderId);
      await deduct(orderId);
      const response = await release(orderId);
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
      expect(await stock(variantIds[0]!)).to.include({ onHand: 6, reserved: 0 });
    });
  });

  describe('holds that expire, and POST /internal/reservations/:orderId/commit', () => {
    it('when a hold is made, then it says when it expires (RESERVATION_TTL_SECONDS unless the caller gives ttlSeconds)', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const before = Date.now();
      const standard = await reserve(randomUUID(), [{ variantId: variantIds[0]!, quantity: 1 }]);
      expect(standard.body.status).to.equal('reserved');
      expect(Date.parse(standard.body.expiresAt) - before).to.be.within(899_000, 901_000);
      const short = await f.api.post('/internal/reservations', { orderId: randomUUID(), lines: [{ variantId: variantIds[0]!, quantity: 1 }], ttlSeconds: 60 });
      expect(Date.parse(short.body.expiresAt) - before).to.be.within(59_000, 61_000);
    });

    it('when the order commits its hold, then 200 committed with no expiry; again, 200 and no change', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 3 }]);
      const committed = await commit(orderId);
      expect(committed.status).to.equal(200);
      expect(committed.body).to.include({ orderId, status: 'committed', expiresAt: null });
      expect(committed.body.committedAt).to.be.a('string');
      const again = await commit(orderId);
      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(committed.body);
      expect(await stock(variantIds[0]!)).to.include({ reserved: 3, available: 7 });
    });

    it('when nobody commits a hold before it expires, then the sweep releases it (inventory.released, reason expired) and stock is available again', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const abandoned = randomUUID();
      const placed = randomUUID();
      await f.api.post('/internal/reservations', { orderId: abandoned, lines: [{ variantId: variantIds[0]!, quantity: 4 }], ttlSeconds: 1 });
      await f.api.post('/internal/reservations', { orderId: placed, lines: [{ variantId: variantIds[0]!, quantity: 2 }], ttlSeconds: 1 });
      await commit(placed);
      expect(await stock(variantIds[0]!)).to.include({ reserved: 6, available: 4 });

      await eventually(async () => (await stock(variantIds[0]!)).reserved === 2, 5_000, 'the abandoned hold released');
      expect(await stock(variantIds[0]!)).to.include({ onHand: 10, reserved: 2, available: 8 });
      const [released] = await eventsOf('inventory.released', abandoned);
      expect(released).to.include({ orderId: abandoned, reason: 'expired' });
      expect(await eventsOf('inventory.released', placed), 'a committed reservation lasts').to.have.length(0);
      const audit = await f.api.get(`/admin/inventory/${variantIds[0]}/audit`, { token: f.adminToken });
      expect(audit.body.items.find((e: { action: string; orderId: string }) => e.action === 'released' && e.orderId === abandoned)).to.include({ reason: 'expired', delta: -4 });
    });

    it('when an order commits a hold that has expired, then 409 RESERVATION_EXPIRED and the stock is (or stays) released', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await f.api.post('/internal/reservations', { orderId, lines: [{ variantId: variantIds[0]!, quantity: 4 }], ttlSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const response = await commit(orderId);
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('RESERVATION_EXPIRED');
      expect(await stock(variantIds[0]!)).to.include({ reserved: 0, available: 10 });
      expect((await commit(orderId)).body.error.code, 'asked again').to.equal('RESERVATION_EXPIRED');
      expect(await eventsOf('inventory.released', orderId)).to.have.length(1);
    });

    it('when the hold was released (checkout undone), then commit is 409 CONFLICT; an unknown order, 404 NOT_FOUND', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 1 }]);
      await release(orderId, 'payment declined');
      expect((await commit(orderId)).body.error.code).to.equal('CONFLICT');
      const unknown = await commit(randomUUID());
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('NOT_FOUND');
    });

    it('when sweeps run at once (several replicas), then each expired hold is released exactly once', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 50 });
      const orderIds = Array.from({ length: 12 }, () => randomUUID());
      for (const orderId of orderIds) await f.api.post('/internal/reservations', { orderId, lines: [{ variantId: variantIds[0]!, quantity: 1 }], ttlSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const { expireReservations } = await import('../src/app/expire-reservations.use-case');
      await Promise.all([expireReservations(f.service.deps, 3), expireReservations(f.service.deps, 3), expireReservations(f.service.deps, 3)]);
      await eventually(async () => (await stock(variantIds[0]!)).reserved === 0, 5_000, 'all released');
      const released = (await f.events('inventory.released')).filter((e) => orderIds.includes(e.orderId));
      expect(released).to.have.length(12);
      expect(await stock(variantIds[0]!)).to.include({ onHand: 50, reserved: 0, available: 50 });
    });
  });

  describe('POST /internal/reservations/:orderId/deduct (SEQ-ORDER-003 step 3)', () => {
    it('when the hold was never committed (no order stands behind it), then 409 CONFLICT and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 2 }]);
      const response = await deduct(orderId);
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
      expect(await stock(variantIds[0]!)).to.include({ onHand: 10, reserved: 2 });
    });

    it('when the order ships, then 200, on hand and reserved both drop and inventory.deducted lists the lines', async () => {
      const { productId, variantIds } = await f.createProduct({ initialStock: 10, variants: 2 });
      const [a, b] = variantIds as [string, string];
      const orderId = randomUUID();
      await reserve(orderId, [
        { variantId: a, quantity: 4 },
        { variantId: b, quantity: 1 },
      ]);
      await reserve(randomUUID(), [{ variantId: a, quantity: 2 }]);
      await commit(orderId);

      const response = await deduct(orderId);
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ orderId, status: 'deducted' });
      expect(await stock(a)).to.include({ onHand: 6, reserved: 2, available: 4 });
      expect(await stock(b)).to.include({ onHand: 9, reserved: 0, available: 9 });
      const [event] = await eventsOf('inventory.deducted', orderId);
      expect(event?.lines).to.have.deep.members([
        { variantId: a, productId, quantity: 4 },
        { variantId: b, productId, quantity: 1 },
      ]);
      const audit = await f.api.get(`/admin/inventory/${a}/audit`, { token: f.adminToken });
      expect(audit.body.items.find((e: { action: string }) => e.action === 'deducted')).to.include({ previous: 10, new: 6, delta: -4, orderId });
    });

    it('when deducted again (also at once), then 200 with the same answer and nothing deducted twice', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 4 }]);
      await commit(orderId);
      const responses = await Promise.all([deduct(orderId), deduct(orderId), deduct(orderId)]);
      expect(responses.map((r) => r.status)).to.deep.equal([200, 200, 200]);
      expect(responses[1]?.body).to.deep.equal(responses[0]?.body);
      expect(await stock(variantIds[0]!)).to.include({ onHand: 6, reserved: 0 });
      expect(await eventsOf('inventory.deducted', orderId)).to.have.length(1);
    });

    it('when the order has no reservation, then 404 NOT_FOUND', async () => {
      const response = await deduct(randomUUID());
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('NOT_FOUND');
    });

    it('when the reservation was released, then 409 CONFLICT and nothing changes', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10 });
      const orderId = randomUUID();
      await reserve(orderId, [{ variantId: variantIds[0]!, quantity: 4 }]);
      await release(orderId);
      const response = await deduct(orderId);
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
      expect(await stock(variantIds[0]!)).to.include({ onHand: 10, reserved: 0 });
    });
  });

  describe('POST /internal/stock/query', () => {
    it('when asked for known and unknown variants, then the known ones come with available stock and status, in the order asked', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 10, variants: 2 });
      const [a, b] = variantIds as [string, string];
      await reserve(randomUUID(), [{ variantId: a, quantity: 7 }]);
      const response = await f.api.post('/internal/stock/query', { variantIds: [b, randomUUID(), a, b] });
      expect(response.status).to.equal(200);
      expect(response.body).to.deep.equal({
        items: [
          { variantId: b, available: 10, stockStatus: 'in_stock' },
          { variantId: a, available: 3, stockStatus: 'low_stock' },
        ],
      });
    });

    it('when the list is empty, too long or holds a malformed id, then 400 VALIDATION_ERROR', async () => {
      for (const variantIds of [[], Array.from({ length: 201 }, () => randomUUID()), ['x']]) {
        const response = await f.api.post('/internal/stock/query', { variantIds });
        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when 200 variants are asked for, then they come from one indexed query', async () => {
      const { variantIds } = await f.createProduct({ initialStock: 1, variants: 3 });
      const asked = [...variantIds, ...Array.from({ length: 197 }, () => randomUUID())];
      const response = await f.api.post('/internal/stock/query', { variantIds: asked });
      expect(response.body.items).to.have.length(3);
      // A tiny table may be scanned anyway; with sequential scans off (on one connection), the index must serve the query.
      const plan = await f.service.deps.db.connection().execute(async (conn) => {
        await sql`SET enable_seqscan = off`.execute(conn);
        const explained = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT * FROM stock_items WHERE variant_id IN (${sql.join(asked)})`.execute(conn);
        await sql`RESET enable_seqscan`.execute(conn);
        return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).to.contain('stock_items_variant_key');
    });
  });
});
