import { expect } from 'chai';
import { TEST_CARDS } from '../src/cards';
import { startSandboxFixture, usd, type SandboxFixture } from './sandbox.fixture';

describe('capture and void', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  before(async () => {
    f = await startSandboxFixture({ webhooks: false });
  });
  after(() => f.stop());

  const capture = (id: string, body?: unknown, key?: string) => f.post(`/v1/authorizations/${id}/capture`, body, { key });
  const voidIt = (id: string) => f.post(`/v1/authorizations/${id}/void`);
  const eventTypes = async (id: string) => (await f.events(id)).map((e) => e.type);

  describe('POST /v1/authorizations/:id/capture', () => {
    it('when the authorization is authorized and no amount is given, then 200 captured in full and a payment.captured event', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 3000);

      const response = await capture(id);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ id, status: 'captured', capturedAmount: usd(3000), amount: usd(3000) });
      expect(response.body.capturedAt).to.be.a('string');
      const events = await f.events(id);
      expect(events.map((e) => e.type)).to.deep.equal(['payment.captured']);
      expect(events[0]!.data).to.deep.include({ authorizationId: id, amount: usd(3000) });
    });

    it('when a smaller amount is given, then only that is captured', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 3000);

      const response = await capture(id, { amount: usd(1200) });

      expect(response.status).to.equal(200);
      expect(response.body.capturedAmount).to.deep.equal(usd(1200));
      expect((await f.events(id))[0]!.data.amount).to.deep.equal(usd(1200));
    });

    it('when the amount is above the authorized one, then 400 amount_too_large and nothing is captured', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 3000);

      const response = await capture(id, { amount: usd(3001) });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('amount_too_large');
      expect((await f.get(`/v1/authorizations/${id}`)).body.status).to.equal('authorized');
    });

    it('when the amount is in another currency, then 400 currency_mismatch', async () => {
      const id = await f.authorized();

      const response = await capture(id, { amount: { amount: 100, currency: 'EUR' } });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('currency_mismatch');
    });

    it('when it was captured already, then 200 the same and no second capture or event', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 3000);
      const first = await capture(id);

      const again = await capture(id, { amount: usd(10) });

      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(first.body);
      expect(await eventTypes(id)).to.deep.equal(['payment.captured']);
    });

    it('when it was voided, then 409 authorization_voided', async () => {
      const id = await f.authorized();
      await voidIt(id);

      const response = await capture(id);

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('authorization_voided');
    });

    it('when it was declined, then 409 authorization_declined', async () => {
      const declined = await f.authorize(TEST_CARDS.declined);

      const response = await capture(declined.body.error.authorizationId);

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('authorization_declined');
    });

    it('when there is no such authorization, then 404 not_found', async () => {
      const response = await capture('auth_ffffffffffffffffffffffff');

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('not_found');
    });

    it('when the card is 4000000000000341, then 402 capture_declined, the authorization capture_failed and a payment.capture_failed event', async () => {
      const id = await f.authorized(TEST_CARDS.captureFails, 5000);

      const response = await capture(id);

      expect(response.status).to.equal(402);
      expect(response.body.error).to.include({ code: 'capture_declined', authorizationId: id });
      expect((await f.get(`/v1/authorizations/${id}`)).body).to.deep.include({ status: 'capture_failed', capturedAmount: null });
      const events = await f.events(id);
      expect(events.map((e) => e.type)).to.deep.equal(['payment.capture_failed']);
      expect(events[0]!.data).to.deep.include({ authorizationId: id, amount: usd(5000), reason: 'capture_declined' });
    });

    it('when its capture failed and it is captured again with a new key, then it is tried again and fails again', async () => {
      const id = await f.authorized(TEST_CARDS.captureFails);
      await capture(id);

      const again = await capture(id);

      expect(again.status).to.equal(402);
      expect(again.body.error.code).to.equal('capture_declined');
      expect(await eventTypes(id)).to.deep.equal(['payment.capture_failed', 'payment.capture_failed']);
    });

    it('when the body has an unknown field, then 400 invalid_request', async () => {
      const id = await f.authorized();

      const response = await capture(id, { amountToCapture: 100 });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_request');
    });
  });

  describe('POST /v1/authorizations/:id/void', () => {
    it('when the authorization is authorized, then 200 voided', async () => {
      const id = await f.authorized();

      const response = await voidIt(id);

      expect(response.status).to.equal(200);
      expect(response.body).to.deep.include({ id, status: 'voided' });
      expect(response.body.voidedAt).to.be.a('string');
    });

    it('when it was voided already, then 200 the same', async () => {
      const id = await f.authorized();
      const first = await voidIt(id);

      const again = await voidIt(id);

      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(first.body);
    });

    it('when it was captured, then 409 authorization_captured', async () => {
      const id = await f.captured();

      const response = await voidIt(id);

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('authorization_captured');
    });

    it('when its capture failed, then 200 voided (the hold is released)', async () => {
      const id = await f.authorized(TEST_CARDS.captureFails);
      await capture(id);

      const response = await voidIt(id);

      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('voided');
    });

    it('when there is no such authorization, then 404 not_found', async () => {
      const response = await voidIt('auth_ffffffffffffffffffffffff');

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('not_found');
    });
  });
});
