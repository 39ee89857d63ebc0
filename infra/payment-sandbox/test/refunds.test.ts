import { expect } from 'chai';
import { TEST_CARDS } from '../src/cards';
import { startSandboxFixture, usd, type SandboxFixture } from './sandbox.fixture';

describe('refunds', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  before(async () => {
    f = await startSandboxFixture({ webhooks: false });
  });
  after(() => f.stop());

  const refund = (id: string, body?: unknown) => f.post(`/v1/authorizations/${id}/refunds`, body);

  describe('POST /v1/authorizations/:id/refunds', () => {
    it('when the authorization is captured and no amount is given, then 201 the captured amount refunded and a payment.refunded event', async () => {
      const id = await f.captured(TEST_CARDS.approved, 4000);

      const response = await refund(id);

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.include({ authorizationId: id, amount: usd(4000), status: 'succeeded' });
      expect(response.body.id).to.match(/^re_[0-9a-f]{24}$/);
      const events = await f.events(id);
      expect(events.map((e) => e.type)).to.deep.equal(['payment.captured', 'payment.refunded']);
      expect(events[1]!.data).to.deep.include({ authorizationId: id, amount: usd(4000), refundId: response.body.id });
      expect((await f.get(`/v1/authorizations/${id}`)).body.refundedAmount).to.deep.equal(usd(4000));
    });

    it('when partial refunds are made, then they add up and the default is what is left', async () => {
      const id = await f.captured(TEST_CARDS.approved, 4000);

      const first = await refund(id, { amount: usd(1000) });
      const rest = await refund(id);

      expect(first.body.amount).to.deep.equal(usd(1000));
      expect(rest.body.amount).to.deep.equal(usd(3000));
      const shown = (await f.get(`/v1/authorizations/${id}`)).body;
      expect(shown.refundedAmount).to.deep.equal(usd(4000));
      expect(shown.refunds.map((r: { id: string }) => r.id)).to.deep.equal([first.body.id, rest.body.id]);
    });

    it('when the amount is above what is left, then 400 amount_too_large and nothing is refunded', async () => {
      const id = await f.captured(TEST_CARDS.approved, 4000);
      await refund(id, { amount: usd(3000) });

      const response = await refund(id, { amount: usd(1001) });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('amount_too_large');
      expect((await f.get(`/v1/authorizations/${id}`)).body.refundedAmount).to.deep.equal(usd(3000));
    });

    it('when everything was refunded, then another refund is 400 amount_too_large', async () => {
      const id = await f.captured(TEST_CARDS.approved, 4000);
      await refund(id);

      const response = await refund(id);

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('amount_too_large');
    });

    it('when only part was captured, then at most that part can be refunded', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 4000);
      await f.post(`/v1/authorizations/${id}/capture`, { amount: usd(1500) });

      expect((await refund(id, { amount: usd(1501) })).body.error.code).to.equal('amount_too_large');
      expect((await refund(id)).body.amount).to.deep.equal(usd(1500));
    });

    it('when the authorization is not captured (authorized, voided or declined), then 409 not_captured', async () => {
      const authorized = await f.authorized();
      const voided = await f.authorized();
      await f.post(`/v1/authorizations/${voided}/void`);
      const declined = (await f.authorize(TEST_CARDS.declined)).body.error.authorizationId;

      for (const id of [authorized, voided, declined]) {
        const response = await refund(id);

        expect(response.status).to.equal(409);
        expect(response.body.error.code).to.equal('not_captured');
      }
    });

    it('when the card is 4000000000000259, then 402 refund_failed, nothing refunded and a payment.refund_failed event', async () => {
      const id = await f.captured(TEST_CARDS.refundFails, 4000);

      const response = await refund(id, { amount: usd(500) });

      expect(response.status).to.equal(402);
      expect(response.body.error).to.include({ code: 'refund_failed', authorizationId: id });
      const shown = (await f.get(`/v1/authorizations/${id}`)).body;
      expect(shown.refundedAmount).to.deep.equal(usd(0));
      expect(shown.refunds).to.have.length(1);
      expect(shown.refunds[0]).to.deep.include({ id: response.body.error.refundId, status: 'failed', amount: usd(500) });
      const events = await f.events(id);
      expect(events.map((e) => e.type)).to.deep.equal(['payment.captured', 'payment.refund_failed']);
      expect(events[1]!.data).to.deep.include({ amount: usd(500), refundId: response.body.error.refundId, reason: 'refund_failed' });
    });

    it('when there is no such authorization, then 404 not_found', async () => {
      const response = await refund('auth_ffffffffffffffffffffffff');

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('not_found');
    });
  });
});
