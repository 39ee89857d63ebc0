import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { paymentCaptured, paymentRefunded, paymentRefundFailed, paymentVoided } from '@shop/contracts';
import { signWebhook } from '@shop/platform';
import { eventually } from '@shop/testkit';
import { CARRIER_SECRET, startOrderFixture, usd, type Buyer, type OrderFixture } from './order.fixture';

describe('order service: the life of an order after checkout', function () {
  this.timeout(30_000);
  let f: OrderFixture;
  let admin: string;
  let adminId: string;
  before(async () => {
    f = await startOrderFixture();
    adminId = randomUUID();
    admin = await f.issuer.token({ role: 'admin', customerId: adminId });
  });
  after(() => f.stop());

  async function placed(buyer?: Buyer) {
    const who = buyer ?? (await f.buyer());
    const response = await f.api.post('/orders', who.order(), { token: who.token });
    expect(response.status).to.equal(201);
    return { buyer: who, order: response.body as { orderId: string; orderNumber: string; total: { amount: number } } };
  }

  async function confirmed() {
    const { buyer, order } = await placed();
    expect((await f.api.post(`/admin/orders/${order.orderId}/confirm`, undefined, { token: admin })).status).to.equal(200);
    return { buyer, order };
  }

  async function shipped() {
    const { buyer, order } = await confirmed();
    const trackingNumber = `TRK-${randomUUID().slice(0, 10)}`;
    expect((await f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber, carrier: 'UPS' }, { token: admin })).status).to.equal(200);
    return { buyer, order, trackingNumber };
  }

  const details = async (orderId: string) => (await f.api.get(`/admin/orders/${orderId}`, { token: admin })).body;
  const eventsOf = async (type: string, orderId: string) => (await f.events(type)).filter((e) => e.orderId === orderId);

  describe('POST /admin/orders/:id/confirm', () => {
    it('when an admin confirms a PENDING order, then CONFIRMED, the change is in its history by that admin, and order.confirmed names them', async () => {
      const { order } = await placed();

      const response = await f.api.post(`/admin/orders/${order.orderId}/confirm`, undefined, { token: admin });

      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('CONFIRMED');
      expect(response.body.statusHistory.map((h: { from: string; to: string; by: string }) => [h.from, h.to, h.by])).to.deep.equal([
        [null, 'PENDING', response.body.customerId],
        ['PENDING', 'CONFIRMED', adminId],
      ]);
      expect(await eventsOf('order.confirmed', order.orderId)).to.have.length(1);
      expect((await eventsOf('order.confirmed', order.orderId))[0]).to.include({ confirmedBy: adminId });
    });

    it('when the order is already CONFIRMED, then 409 INVALID_STATUS_TRANSITION', async () => {
      const { order } = await confirmed();
      const response = await f.api.post(`/admin/orders/${order.orderId}/confirm`, undefined, { token: admin });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('INVALID_STATUS_TRANSITION');
    });

    it('when a customer or an unknown order, then 403 FORBIDDEN, 404 ORDER_NOT_FOUND', async () => {
      const { buyer, order } = await placed();
      expect((await f.api.post(`/admin/orders/${order.orderId}/confirm`, undefined, { token: buyer.token })).body.error.code).to.equal('FORBIDDEN');
      const unknown = await f.api.post(`/admin/orders/${randomUUID()}/confirm`, undefined, { token: admin });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('ORDER_NOT_FOUND');
    });
  });

  describe('POST /admin/orders/:id/ship', () => {
    it('when a CONFIRMED order ships, then SHIPPED with its tracking, the stock deducted at the inventory, and order.shipped', async () => {
      const { buyer, order } = await confirmed();

      const response = await f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber: 'TRK-1-' + order.orderId.slice(0, 6), carrier: 'UPS' }, { token: admin });

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ status: 'SHIPPED', shipment: { trackingNumber: 'TRK-1-' + order.orderId.slice(0, 6), carrier: 'UPS' } });
      expect(f.fake.reservations.get(order.orderId)?.status).to.equal('deducted');
      expect((await eventsOf('order.shipped', order.orderId))[0]).to.include({ carrier: 'UPS', customerId: buyer.customerId });
      expect((await f.api.get(`/orders/${order.orderId}`, { token: buyer.token })).body.shipment.carrier).to.equal('UPS');
    });

    it('when fulfilment staff ship, then it is allowed; a customer, 403 FORBIDDEN', async () => {
      const { buyer, order } = await confirmed();
      expect((await f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber: `T-${randomUUID()}`, carrier: 'DHL' }, { token: buyer.token })).status).to.equal(403);
      const staff = await f.issuer.token({ role: 'fulfillment' });
      expect((await f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber: `T-${randomUUID().slice(0, 20)}`, carrier: 'DHL' }, { token: staff })).status).to.equal(200);
    });

    it('when the order is PENDING, then 409 INVALID_STATUS_TRANSITION and nothing is deducted', async () => {
      const { order } = await placed();
      const response = await f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber: 'T-P', carrier: 'UPS' }, { token: admin });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('INVALID_STATUS_TRANSITION');
      expect(f.fake.reservations.get(order.orderId)?.status).to.equal('committed');
    });

    it('when the tracking number or the carrier is missing, then 400 VALIDATION_ERROR', async () => {
      const { order } = await confirmed();
      for (const body of [{ carrier: 'UPS' }, { trackingNumber: 'T-1' }, { trackingNumber: '', carrier: 'UPS' }]) {
        const response = await f.api.post(`/admin/orders/${order.orderId}/ship`, body, { token: admin });
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when the tracking number is already another order\'s, then 409 CONFLICT', async () => {
      const { trackingNumber } = await shipped();
      const { order } = await confirmed();
      const response = await f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber, carrier: 'UPS' }, { token: admin });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
    });

    it('when the same order is shipped twice at once, then one ships and the other is 409 INVALID_STATUS_TRANSITION', async () => {
      const { order } = await confirmed();
      const ship = () => f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber: `T-${randomUUID().slice(0, 12)}`, carrier: 'UPS' }, { token: admin });
      const answers = await Promise.all([ship(), ship()]);
      expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409]);
      expect((await details(order.orderId)).statusHistory.filter((h: { to: string }) => h.to === 'SHIPPED')).to.have.length(1);
    });
  });

  describe('a shipment and a cancellation of one order at once', () => {
    it('when both come together, then exactly one applies, and the stock agrees with it (deducted if shipped, released if cancelled)', async () => {
      for (let round = 0; round < 5; round += 1) {
        const { buyer, order } = await confirmed();
        const [ship, cancel] = await Promise.all([
          f.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber: `T-${randomUUID().slice(0, 12)}`, carrier: 'UPS' }, { token: admin }),
          f.api.post(`/orders/${order.orderId}/cancel`, { reason: 'changed my mind' }, { token: buyer.token }),
        ]);
        expect([ship.status, cancel.status].sort(), `round ${round}`).to.deep.equal([200, 409]);
        const final = await details(order.orderId);
        if (ship.status === 200) {
          expect(cancel.body.error.code).to.equal('CANCELLATION_NOT_ALLOWED');
          expect(final.status).to.equal('SHIPPED');
          expect(f.fake.reservations.get(order.orderId)?.status).to.equal('deducted');
        } else {
          expect(ship.body.error.code).to.equal('INVALID_STATUS_TRANSITION');
          expect(final.status).to.equal('CANCELLED');
          expect(f.fake.reservations.get(order.orderId)?.status).to.equal('released');
        }
      }
    });
  });

  describe('POST /webhooks/carriers', () => {
    const deliver = (body: unknown, secret = CARRIER_SECRET, at = new Date()) => {
      const raw = JSON.stringify(body);
      return f.api.call('POST', '/webhooks/carriers', { raw, headers: { 'x-signature': signWebhook(secret, raw, at) } });
    };

    it('when the carrier reports a shipped order delivered, then DELIVERED by the system, order.delivered; told again, nothing changes', async () => {
      const { order, trackingNumber } = await shipped();

      const first = await deliver({ trackingNumber, status: 'delivered' });
      const again = await deliver({ trackingNumber, status: 'delivered' });

      expect(first.status).to.equal(200);
      expect(again.status).to.equal(200);
      const final = await details(order.orderId);
      expect(final.status).to.equal('DELIVERED');
      expect(final.statusHistory.at(-1)).to.include({ from: 'SHIPPED', to: 'DELIVERED', by: 'system' });
      expect(final.statusHistory.filter((h: { to: string }) => h.to === 'DELIVERED')).to.have.length(1);
      expect(await eventsOf('order.delivered', order.orderId)).to.have.length(1);
    });

    const unmatchedAlerts = async (trackingNumber: string) => (await f.events('order.carrier-update-unmatched')).filter((e) => e.trackingNumber === trackingNumber);
    const keptFor = (trackingNumber: string) => f.db.selectFrom('carrier_events').selectAll().where('tracking_number', '=', trackingNumber).orderBy('id').execute();

    it('when the tracking number is unknown, then 202, the update is kept for review and order.carrier-update-unmatched tells staff of it', async () => {
      const trackingNumber = `UNKNOWN-${randomUUID().slice(0, 8)}`;
      const response = await deliver({ trackingNumber, status: 'delivered' });
      expect(response.status).to.equal(202);
      const kept = await keptFor(trackingNumber);
      expect(kept.map((e) => e.outcome)).to.deep.equal(['unknown-tracking-number']);
      expect(await unmatchedAlerts(trackingNumber)).to.deep.equal([{ trackingNumber, carrierStatus: 'delivered', receivedAt: kept[0]!.received_at.toISOString() }]);
      const envelope = await f.tap.waitFor<{ trackingNumber: string }>('order.carrier-update-unmatched', (d) => d.trackingNumber === trackingNumber);
      expect(envelope.aggregate).to.deep.equal({ type: 'carrier-tracking', id: trackingNumber, version: 1 });
    });

    it('when the same unknown tracking number is reported again (a replay, another status), then each report is kept but staff are told once', async () => {
      const trackingNumber = `UNKNOWN-${randomUUID().slice(0, 8)}`;
      const body = { trackingNumber, status: 'in_transit' };
      expect((await deliver(body)).status).to.equal(202);
      expect((await deliver(body)).status).to.equal(202);
      expect((await deliver({ trackingNumber, status: 'delivered' })).status).to.equal(202);

      expect((await keptFor(trackingNumber)).map((e) => [e.outcome, e.status])).to.deep.equal([
        ['unknown-tracking-number', 'in_transit'],
        ['unknown-tracking-number', 'in_transit'],
        ['unknown-tracking-number', 'delivered'],
      ]);
      expect((await unmatchedAlerts(trackingNumber)).map((e) => e.carrierStatus)).to.deep.equal(['in_transit']);
    });

    it('when one unknown tracking number is reported twice at once, then staff are told once', async () => {
      const trackingNumber = `UNKNOWN-${randomUUID().slice(0, 8)}`;
      const responses = await Promise.all([deliver({ trackingNumber, status: 'delivered' }), deliver({ trackingNumber, status: 'delivered' })]);
      expect(responses.map((r) => r.status)).to.deep.equal([202, 202]);
      expect(await keptFor(trackingNumber)).to.have.length(2);
      expect(await unmatchedAlerts(trackingNumber)).to.have.length(1);
    });

    it('when the tracking number belongs to an order, then no order.carrier-update-unmatched', async () => {
      const { order, trackingNumber } = await shipped();
      expect((await deliver({ trackingNumber, status: 'in_transit' })).status).to.equal(200);
      expect((await deliver({ trackingNumber, status: 'delivered' })).status).to.equal(200);
      expect(await eventsOf('order.delivered', order.orderId)).to.have.length(1);
      expect(await unmatchedAlerts(trackingNumber)).to.deep.equal([]);
    });

    it('when another status comes (in transit), then it is recorded and the order stays SHIPPED', async () => {
      const { order, trackingNumber } = await shipped();
      expect((await deliver({ trackingNumber, status: 'in_transit' })).status).to.equal(200);
      expect((await details(order.orderId)).status).to.equal('SHIPPED');
    });

    it('when the signature is missing, wrong, or older than 5 minutes, then 401 INVALID_SIGNATURE and nothing changes', async () => {
      const { order, trackingNumber } = await shipped();
      const body = { trackingNumber, status: 'delivered' };
      const unsigned = await f.api.call('POST', '/webhooks/carriers', { raw: JSON.stringify(body) });
      const wrong = await deliver(body, 'another-secret');
      const stale = await deliver(body, CARRIER_SECRET, new Date(Date.now() - 6 * 60_000));
      for (const refused of [unsigned, wrong, stale]) {
        expect(refused.status).to.equal(401);
        expect(refused.body.error.code).to.equal('INVALID_SIGNATURE');
      }
      expect((await details(order.orderId)).status).to.equal('SHIPPED');
    });

    it('when a signed body lacks the tracking number, then 400 VALIDATION_ERROR', async () => {
      const response = await deliver({ status: 'delivered' });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('cancellation', () => {
    it('when a customer cancels their PENDING order, then CANCELLED, the stock released, and order.cancelled with the reason, the lines and nothing to refund (the hold is voided)', async () => {
      const { buyer, order } = await placed();

      const response = await f.api.post(`/orders/${order.orderId}/cancel`, { reason: 'found it cheaper' }, { token: buyer.token });

      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('CANCELLED');
      expect(f.fake.reservations.get(order.orderId)?.status).to.equal('released');
      const [cancelled] = await eventsOf('order.cancelled', order.orderId);
      expect(cancelled).to.deep.include({ reason: 'found it cheaper', cancelledBy: buyer.customerId, refundAmount: usd(0) });
      expect(cancelled!.lineItems).to.have.length(2);
    });

    it('when the payment was captured, then order.cancelled refunds the total and the order shows the refund pending, then done once the payment service says so', async () => {
      const { buyer, order } = await placed();
      await f.publish(paymentCaptured, { paymentId: randomUUID(), orderId: order.orderId, amount: usd(order.total.amount), authorizationId: 'auth_c', paymentMethod: 'card', capturedAt: new Date().toISOString() }, { type: 'payment', id: randomUUID(), version: 3 });
      await eventually(async () => (await details(order.orderId)).status === 'CONFIRMED', 10_000, 'the order confirmed by its capture');

      const response = await f.api.post(`/orders/${order.orderId}/cancel`, { reason: 'too late' }, { token: buyer.token });

      expect(response.body.payment).to.deep.include({ status: 'captured', refund: { status: 'pending', amount: usd(order.total.amount) } });
      expect((await eventsOf('order.cancelled', order.orderId))[0]).to.deep.include({ refundAmount: usd(order.total.amount) });
      await f.publish(paymentRefunded, { paymentId: randomUUID(), orderId: order.orderId, amount: usd(order.total.amount), paymentMethod: 'card', refundId: 're_1', refundedAt: new Date().toISOString() }, { type: 'payment', id: randomUUID(), version: 5 });
      const refunded = await eventually(async () => {
        const view = (await f.api.get(`/orders/${order.orderId}`, { token: buyer.token })).body;
        return view.payment.status === 'refunded' && view;
      }, 10_000, 'the refund shown');
      expect(refunded.payment.refund).to.deep.equal({ status: 'refunded', amount: usd(order.total.amount) });
    });

    it('when the refund fails or the hold is voided, then the order shows it', async () => {
      const { order: failing } = await placed();
      const { order: held } = await placed();
      await f.publish(paymentRefundFailed, { paymentId: randomUUID(), orderId: failing.orderId, amount: usd(100), paymentMethod: 'card', reason: 'refund_failed', failedAt: new Date().toISOString() }, { type: 'payment', id: randomUUID(), version: 5 });
      await f.publish(paymentVoided, { paymentId: randomUUID(), orderId: held.orderId, amount: usd(100), paymentMethod: 'card', voidedAt: new Date().toISOString() }, { type: 'payment', id: randomUUID(), version: 4 });
      await eventually(async () => (await details(failing.orderId)).payment.status === 'refund_failed', 10_000, 'the failed refund shown');
      await eventually(async () => (await details(held.orderId)).payment.status === 'voided', 10_000, 'the void shown');
      expect((await details(failing.orderId)).payment.refund).to.deep.equal({ status: 'failed', amount: usd(100) });
    });

    it('when the order has shipped or is already cancelled, then 409 CANCELLATION_NOT_ALLOWED', async () => {
      const { buyer, order } = await shipped();
      const afterShip = await f.api.post(`/orders/${order.orderId}/cancel`, {}, { token: buyer.token });
      expect(afterShip.status).to.equal(409);
      expect(afterShip.body.error.code).to.equal('CANCELLATION_NOT_ALLOWED');
      const { buyer: other, order: second } = await placed();
      await f.api.post(`/orders/${second.orderId}/cancel`, {}, { token: other.token });
      expect((await f.api.post(`/orders/${second.orderId}/cancel`, {}, { token: other.token })).body.error.code).to.equal('CANCELLATION_NOT_ALLOWED');
    });

    it("when a customer cancels someone else's order, then 404 ORDER_NOT_FOUND and it stays as it was", async () => {
      const { order } = await placed();
      const stranger = await f.buyer();
      const response = await f.api.post(`/orders/${order.orderId}/cancel`, { reason: 'mine now' }, { token: stranger.token });
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('ORDER_NOT_FOUND');
      expect((await details(order.orderId)).status).to.equal('PENDING');
    });

    it('when an admin cancels, then a reason is required (400 without), and the history names the admin', async () => {
      const { order } = await confirmed();
      expect((await f.api.post(`/admin/orders/${order.orderId}/cancel`, {}, { token: admin })).status).to.equal(400);
      const response = await f.api.post(`/admin/orders/${order.orderId}/cancel`, { reason: 'out of stock at the supplier' }, { token: admin });
      expect(response.status).to.equal(200);
      expect(response.body.statusHistory.at(-1)).to.include({ from: 'CONFIRMED', to: 'CANCELLED', by: adminId, reason: 'out of stock at the supplier' });
    });

    it('when the inventory cannot be reached, then 503 and the order stays as it was', async () => {
      const { buyer, order } = await placed();
      f.fake.failing.set('release', 503);
      try {
        const response = await f.api.post(`/orders/${order.orderId}/cancel`, {}, { token: buyer.token });
        expect(response.status).to.equal(503);
      } finally {
        f.fake.failing.clear();
      }
      expect((await details(order.orderId)).status).to.equal('PENDING');
    });
  });

  describe('GET /admin/orders', () => {
    it('when an admin lists, then every order newest first, and each filter narrows it: status, customer, placing time, order number', async () => {
      const buyer = await f.buyer();
      const { order: first } = await placed(buyer);
      f.fake.carts.get(buyer.customerId)!.items = buyer.lines.map((l) => ({ ...l }));
      f.fake.carts.get(buyer.customerId)!.version += 1;
      const between = new Date();
      const { order: second } = await placed(buyer);
      await f.api.post(`/admin/orders/${second.orderId}/confirm`, undefined, { token: admin });

      const list = async (query: string) => (await f.api.get(`/admin/orders?${query}`, { token: admin })).body;
      const ids = (page: { items: Array<{ orderId: string }> }) => page.items.map((o) => o.orderId);

      expect(ids(await list(`customerId=${buyer.customerId}`))).to.deep.equal([second.orderId, first.orderId]);
      expect(ids(await list(`customerId=${buyer.customerId}&status=CONFIRMED`))).to.deep.equal([second.orderId]);
      expect(ids(await list(`customerId=${buyer.customerId}&from=${between.toISOString()}`))).to.deep.equal([second.orderId]);
      expect(ids(await list(`customerId=${buyer.customerId}&to=${between.toISOString()}`))).to.deep.equal([first.orderId]);
      expect(ids(await list(`q=${first.orderNumber}`))).to.deep.equal([first.orderId]);
      expect(ids(await list(`q=${first.orderNumber.toLowerCase()}`))).to.deep.equal([first.orderId]);
      const all = await list('pageSize=2');
      expect(all).to.include({ page: 1, pageSize: 2 });
      expect(all.total).to.be.at.least(2);
      expect(all.items[0]).to.include.keys('orderId', 'orderNumber', 'status', 'customerId', 'email', 'total');
      expect(all.items[0]).not.to.have.key('statusHistory');
    });

    it('when a filter is invalid, then 400 VALIDATION_ERROR', async () => {
      for (const query of ['status=LOST', 'customerId=nope', 'from=yesterday', 'pageSize=0', 'pageSize=101']) {
        const response = await f.api.get(`/admin/orders?${query}`, { token: admin });
        expect(response.status, query).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when a customer asks, then 403 FORBIDDEN', async () => {
      const buyer = await f.buyer();
      expect((await f.api.get('/admin/orders', { token: buyer.token })).status).to.equal(403);
    });
  });

  describe('GET /admin/orders/:id', () => {
    it('when an admin asks, then the order with who placed it, its payment (brand and last four only) and its whole history', async () => {
      const { buyer, order, trackingNumber } = await shipped();
      const view = await details(order.orderId);
      expect(view).to.deep.include({ customerId: buyer.customerId, status: 'SHIPPED', shipment: { trackingNumber, carrier: 'UPS' } });
      expect(view.payment).to.deep.equal({ method: 'card', status: 'authorized', brand: 'visa', last4: '4242' });
      expect(view.statusHistory.map((h: { to: string }) => h.to)).to.deep.equal(['PENDING', 'CONFIRMED', 'SHIPPED']);
      expect(JSON.stringify(view)).not.to.include('4242424242424242');
    });

    it('when the order is unknown or the id malformed, then 404 ORDER_NOT_FOUND, 400', async () => {
      expect((await f.api.get(`/admin/orders/${randomUUID()}`, { token: admin })).body.error.code).to.equal('ORDER_NOT_FOUND');
      expect((await f.api.get('/admin/orders/x', { token: admin })).status).to.equal(400);
    });
  });
});
