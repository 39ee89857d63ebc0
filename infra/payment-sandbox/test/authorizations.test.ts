import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TEST_CARDS } from '../src/cards';
import { API_KEY, authorizationsWithReference, card, startSandboxFixture, usd, type SandboxFixture } from './sandbox.fixture';

describe('authorizations', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  before(async () => {
    f = await startSandboxFixture({ webhooks: false });
  });
  after(() => f.stop());

  describe('POST /v1/authorizations', () => {
    it('when the card is 4242424242424242, then 201 authorized with id, amount, reference, brand, last4 and createdAt', async () => {
      const reference = randomUUID();

      const response = await f.post('/v1/authorizations', { amount: usd(2599), card: card(TEST_CARDS.approved), reference });

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.include({ status: 'authorized', amount: usd(2599), reference, brand: 'visa', last4: '4242', capturedAmount: null });
      expect(response.body.id).to.match(/^auth_[0-9a-f]{24}$/);
      expect(Date.parse(response.body.createdAt)).to.be.closeTo(Date.now(), 60_000);
    });

    it('when the card is a Mastercard, then 201 with brand mastercard', async () => {
      const response = await f.authorize(TEST_CARDS.approvedMastercard);

      expect(response.status).to.equal(201);
      expect(response.body).to.deep.include({ brand: 'mastercard', last4: '4444' });
    });

    it('when the card is 4000000000000002, then 402 card_declined naming the declined authorization, which a GET shows as declined', async () => {
      const response = await f.authorize(TEST_CARDS.declined);

      expect(response.status).to.equal(402);
      expect(response.body.error).to.include({ code: 'card_declined' });
      expect(response.body.error.message).to.be.a('string');
      const shown = await f.get(`/v1/authorizations/${response.body.error.authorizationId}`);
      expect(shown.status).to.equal(200);
      expect(shown.body).to.deep.include({ status: 'declined', declineCode: 'card_declined', last4: '0002' });
    });

    it('when the card is 4000000000009995, then 402 insufficient_funds', async () => {
      const response = await f.authorize(TEST_CARDS.insufficientFunds);

      expect(response.status).to.equal(402);
      expect(response.body.error.code).to.equal('insufficient_funds');
    });

    it('when the number fails the Luhn check, then 402 incorrect_number', async () => {
      const response = await f.authorize('4242424242424241');

      expect(response.status).to.equal(402);
      expect(response.body.error.code).to.equal('incorrect_number');
    });

    it('when the number is not a card number at all, then 402 incorrect_number', async () => {
      const response = await f.authorize('not a card');

      expect(response.status).to.equal(402);
      expect(response.body.error.code).to.equal('incorrect_number');
    });

    it('when the card is 378282246310005 or another American Express card, then 402 unsupported_card', async () => {
      for (const number of [TEST_CARDS.amex, '371449635398431']) {
        const response = await f.authorize(number);

        expect(response.status, number).to.equal(402);
        expect(response.body.error.code).to.equal('unsupported_card');
      }
    });

    it('when the card expired last month, then 402 expired_card', async () => {
      const now = new Date();
      const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));

      const response = await f.authorize(TEST_CARDS.approved, 1000, { expMonth: lastMonth.getUTCMonth() + 1, expYear: lastMonth.getUTCFullYear() });

      expect(response.status).to.equal(402);
      expect(response.body.error.code).to.equal('expired_card');
    });

    it('when the card expires this month, then 201 authorized', async () => {
      const now = new Date();

      const response = await f.authorize(TEST_CARDS.approved, 1000, { expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() });

      expect(response.status).to.equal(201);
    });

    it('when the card is 4000000000000119, then 500 processing_error every time and nothing is stored', async () => {
      const reference = randomUUID();
      for (let i = 0; i < 2; i += 1) {
        const response = await f.post('/v1/authorizations', { amount: usd(1000), card: card(TEST_CARDS.processingError), reference });

        expect(response.status).to.equal(500);
        expect(response.body.error.code).to.equal('processing_error');
      }
      expect(await authorizationsWithReference(f.db, reference)).to.equal(0);
    });

    it('when the amount is 0, above 100000000, not an integer or its currency is not three upper-case letters, then 400 invalid_request', async () => {
      for (const amount of [usd(0), usd(100_000_001), usd(10.5), { amount: 100, currency: 'usd' }, { amount: 100, currency: 'EURO' }, { amount: '100', currency: 'USD' }]) {
        const response = await f.post('/v1/authorizations', { amount, card: card(), reference: randomUUID() });

        expect(response.status, JSON.stringify(amount)).to.equal(400);
        expect(response.body.error.code).to.equal('invalid_request');
      }
    });

    it('when the amount is 100000000, then 201', async () => {
      expect((await f.authorize(TEST_CARDS.approved, 100_000_000)).status).to.equal(201);
    });

    it('when the reference is missing or longer than 200 characters, then 400 invalid_request naming it', async () => {
      for (const reference of [undefined, 'x'.repeat(201)]) {
        const response = await f.post('/v1/authorizations', { amount: usd(100), card: card(), reference });

        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('invalid_request');
        expect(response.body.error.message).to.contain('reference');
      }
    });

    it('when the CVC or the expiry month is malformed, then 400 invalid_request whose message does not repeat the card', async () => {
      const response = await f.post('/v1/authorizations', { amount: usd(100), card: card(TEST_CARDS.approved, { cvc: '98x', expMonth: 13 }), reference: randomUUID() });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_request');
      expect(response.body.error.message).to.contain('card.cvc').and.contain('card.expMonth');
      expect(JSON.stringify(response.body)).not.to.contain('98x').and.not.to.contain(TEST_CARDS.approved);
    });

    it('when the body is not valid JSON, then 400 invalid_request in the provider shape, without quoting it', async () => {
      const response = await fetch(`${f.sandbox.url}/v1/authorizations`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
        body: `{"card":{"number":"${TEST_CARDS.approved}"`,
      });
      const body = await response.text();

      expect(response.status).to.equal(400);
      expect(JSON.parse(body)).to.deep.equal({ error: { code: 'invalid_request', message: 'the body is not valid JSON' } });
    });
  });

  describe('GET /v1/authorizations?reference=', () => {
    it('when authorizations were made with the reference, then 200 with all of them, declined ones too, oldest first', async () => {
      const reference = randomUUID();
      const approved = await f.post('/v1/authorizations', { amount: usd(500), card: card(TEST_CARDS.approved), reference });
      const declined = await f.post('/v1/authorizations', { amount: usd(500), card: card(TEST_CARDS.declined), reference });
      await f.authorize(TEST_CARDS.approved);

      const response = await f.get(`/v1/authorizations?reference=${reference}`);

      expect(response.status).to.equal(200);
      expect(response.body.items.map((a: { id: string; status: string }) => [a.id, a.status])).to.deep.equal([
        [approved.body.id, 'authorized'],
        [declined.body.error.authorizationId, 'declined'],
      ]);
    });

    it('when none was made with it, then 200 with no items; without a reference, 400 invalid_request', async () => {
      expect((await f.get(`/v1/authorizations?reference=${randomUUID()}`)).body).to.deep.equal({ items: [] });
      const missing = await f.get('/v1/authorizations');
      expect(missing.status).to.equal(400);
      expect(missing.body.error.code).to.equal('invalid_request');
    });
  });

  describe('GET /v1/authorizations/:id', () => {
    it('when it exists, then 200 its current state with brand and last4 and no other card data', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 4200);

      const response = await f.get(`/v1/authorizations/${id}`);

      expect(response.status).to.equal(200);
      expect(response.body).to.have.all.keys(
        'id',
        'status',
        'amount',
        'reference',
        'brand',
        'last4',
        'declineCode',
        'capturedAmount',
        'refundedAmount',
        'createdAt',
        'capturedAt',
        'voidedAt',
        'refunds',
      );
      expect(response.body).to.deep.include({ id, status: 'authorized', amount: usd(4200), brand: 'visa', last4: '4242', refundedAmount: usd(0), refunds: [] });
    });

    it('when there is no such authorization, then 404 not_found', async () => {
      const response = await f.get('/v1/authorizations/auth_000000000000000000000000');

      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('not_found');
    });
  });

  describe('X-Api-Key', () => {
    it('when it is missing, then 401 unauthorized on every route', async () => {
      const id = await f.authorized();
      const requests = [
        f.get(`/v1/authorizations/${id}`, {}),
        f.get('/v1/events', {}),
        f.post('/v1/authorizations', { amount: usd(100), card: card(), reference: 'r' }, { headers: { 'x-api-key': '' } }),
        f.post(`/v1/authorizations/${id}/capture`, undefined, { headers: { 'x-api-key': '' } }),
        f.get('/v1/no-such-route', {}),
      ];
      for (const response of await Promise.all(requests)) {
        expect(response.status).to.equal(401);
        expect(response.body).to.deep.equal({ error: { code: 'unauthorized', message: 'a valid X-Api-Key header is required' } });
      }
      expect((await f.get(`/v1/authorizations/${id}`)).body.status).to.equal('authorized');
    });

    it('when it is wrong, then 401 unauthorized', async () => {
      const response = await f.get('/v1/events', { 'x-api-key': `${API_KEY}x` });

      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('unauthorized');
    });

    it('when it is right but the route does not exist, then 404 not_found in the provider shape', async () => {
      const response = await f.get('/v1/charges');

      expect(response.status).to.equal(404);
      expect(response.body.error).to.include({ code: 'not_found' });
    });
  });

  describe('probes', () => {
    it('when the sandbox runs, then /health/live answers on its port and /health/ready and /metrics on the operations port', async () => {
      expect((await fetch(`${f.sandbox.url}/health/live`)).status).to.equal(200);
      const ready = await fetch(`${f.sandbox.opsUrl}/health/ready`);
      expect(ready.status).to.equal(200);
      expect(await ready.json()).to.deep.include({ status: 'ok', checks: { database: 'ok' } });
      const metrics = await fetch(`${f.sandbox.opsUrl}/metrics`);
      expect(metrics.status).to.equal(200);
      expect(await metrics.text()).to.contain('http_request');
    });
  });
});
