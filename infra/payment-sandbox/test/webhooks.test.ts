import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { TEST_CARDS } from '../src/cards';
import { startSandboxFixture, usd, webhooksAbout, type SandboxFixture, type WebhookReceiver } from './sandbox.fixture';

describe('webhooks', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  let receiver: WebhookReceiver;
  before(async () => {
    f = await startSandboxFixture();
    receiver = f.receiver!;
  });
  after(() => f.stop());

  const capture = (id: string) => f.post(`/v1/authorizations/${id}/capture`);
  const refund = (id: string, amount?: number) => f.post(`/v1/authorizations/${id}/refunds`, amount === undefined ? undefined : { amount: usd(amount) });
  const delivered = (id: string, count: number) => eventually(async () => {
    const events = await f.events(id);
    return events.length >= count && events.every((e) => e.delivery.status === 'delivered') && events;
  }, 5_000, `${count} events of ${id} delivered`);

  describe('delivery', () => {
    it('when a capture succeeds, then payment.captured is POSTed as JSON, signed over its raw body, with id, type, created and data', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 2750);
      const reference = (await f.get(`/v1/authorizations/${id}`)).body.reference;

      await capture(id);

      const [webhook] = await webhooksAbout(receiver, id, 1);
      expect(webhook!.verified).to.equal(true);
      expect(webhook!.contentType).to.equal('application/json');
      expect(webhook!.signature).to.match(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(webhook!.type).to.equal('payment.captured');
      expect(webhook!.id).to.match(/^evt_[0-9a-f]{24}$/);
      expect(webhook!.created).to.be.closeTo(Math.floor(Date.now() / 1000), 60);
      expect(webhook!.data).to.deep.include({ authorizationId: id, reference, amount: usd(2750) });
      const [stored] = await delivered(id, 1);
      expect(stored!.id).to.equal(webhook!.id);
      expect(stored!.delivery).to.deep.include({ status: 'delivered', attempts: 1, lastError: null });
    });

    it('when the receiver answers 500 twice, then the event is retried and delivered exactly once more after those', async () => {
      const id = await f.authorized();
      receiver.script(id, [500, 500]);

      await capture(id);

      const webhooks = await webhooksAbout(receiver, id, 3);
      await sleep(400);
      expect(receiver.about(id).map((w) => w.answered)).to.deep.equal([500, 500, 200]);
      expect(new Set(webhooks.map((w) => w.id)).size).to.equal(1);
      expect(webhooks.every((w) => w.verified)).to.equal(true);
      const [stored] = await delivered(id, 1);
      expect(stored!.delivery.attempts).to.equal(3);
    });

    it('when the receiver cuts the connection, then the event is retried until a 2xx', async () => {
      const id = await f.authorized();
      receiver.script(id, ['drop']);

      await capture(id);

      await webhooksAbout(receiver, id, 2);
      expect(receiver.about(id).map((w) => w.answered)).to.deep.equal(['dropped', 200]);
      const [stored] = await delivered(id, 1);
      expect(stored!.delivery.attempts).to.equal(2);
    });

    it('when the captured event is being retried, then the refunded event of the same authorization waits and arrives after it', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 3000);
      receiver.script(id, [503, 503, 503]);

      await capture(id);
      await refund(id, 1000);

      const webhooks = await webhooksAbout(receiver, id, 5);
      expect(webhooks.map((w) => `${w.type} ${w.answered}`)).to.deep.equal([
        'payment.captured 503',
        'payment.captured 503',
        'payment.captured 503',
        'payment.captured 200',
        'payment.refunded 200',
      ]);
    });

    it('when one authorization\'s events are held back by retries, then another authorization\'s events still go out', async () => {
      const stuck = await f.authorized();
      receiver.script(stuck, Array(20).fill(500));
      await capture(stuck);
      const other = await f.authorized();

      await capture(other);

      await webhooksAbout(receiver, other, 1);
      expect(receiver.about(stuck).every((w) => w.answered === 500)).to.equal(true);
      receiver.script(stuck, []);
      await delivered(stuck, 1);
    });

    it('when a capture fails and a refund fails, then payment.capture_failed and payment.refund_failed are sent', async () => {
      const captureFails = await f.authorized(TEST_CARDS.captureFails, 1500);
      const refundFails = await f.captured(TEST_CARDS.refundFails, 1500);

      await capture(captureFails);
      await refund(refundFails, 700);

      const [failedCapture] = await webhooksAbout(receiver, captureFails, 1);
      expect(failedCapture).to.deep.include({ type: 'payment.capture_failed', verified: true });
      expect(failedCapture!.data).to.deep.include({ authorizationId: captureFails, amount: usd(1500), reason: 'capture_declined' });
      const webhooks = await webhooksAbout(receiver, refundFails, 2);
      expect(webhooks.map((w) => w.type)).to.deep.equal(['payment.captured', 'payment.refund_failed']);
      expect(webhooks[1]!.data).to.deep.include({ amount: usd(700), reason: 'refund_failed' });
    });
  });

  describe('GET /v1/events', () => {
    it('when after names an event, then the events stored after it, oldest first', async () => {
      const id = await f.captured(TEST_CARDS.approved, 3000);
      await refund(id, 1000);
      await refund(id, 1000);
      const all = await f.events(id);

      const response = await f.get(`/v1/events?after=${all[0]!.id}&authorizationId=${id}`);

      expect(response.status).to.equal(200);
      expect(response.body.data.map((e: { id: string }) => e.id)).to.deep.equal([all[1]!.id, all[2]!.id]);
      expect(response.body.hasMore).to.equal(false);
      const page = await f.get(`/v1/events?after=${all[0]!.id}&limit=1`);
      expect(page.body.data.map((e: { id: string }) => e.id)).to.deep.equal([all[1]!.id]);
      expect(page.body.hasMore).to.equal(true);
    });

    it('when after names no event, then 404 not_found', async () => {
      const response = await f.get('/v1/events?after=evt_000000000000000000000000');

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('not_found');
    });
  });

  describe('replicas', () => {
    it('when two sandboxes share a database, then each event is sent once, by one of them', async () => {
      const replica = await startSandboxFixture({ databaseUrl: f.databaseUrl, receiver });
      try {
        const ids = await Promise.all(Array.from({ length: 8 }, () => f.authorized()));

        await Promise.all(ids.map((id, i) => (i % 2 === 0 ? f : replica).post(`/v1/authorizations/${id}/capture`)));

        for (const id of ids) await webhooksAbout(receiver, id, 1);
        await sleep(300);
        for (const id of ids) expect(receiver.about(id)).to.have.length(1);
      } finally {
        await replica.stop();
      }
    });
  });

  describe('without WEBHOOK_URL', () => {
    it('when an event is stored, then it is kept (pending, never attempted) and not sent', async () => {
      const quiet = await startSandboxFixture({ webhooks: false });
      try {
        const id = await quiet.captured();

        await sleep(300);

        const events = await quiet.events(id);
        expect(events.map((e) => e.type)).to.deep.equal(['payment.captured']);
        expect(events[0]!.delivery).to.deep.include({ status: 'pending', attempts: 0, deliveredAt: null });
        expect(receiver.about(id)).to.have.length(0);
      } finally {
        await quiet.stop();
      }
    });
  });
});
