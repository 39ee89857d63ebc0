import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { TEST_CARDS } from '../src/cards';
import { authorizationsWithReference, card, startSandboxFixture, usd, type SandboxFixture } from './sandbox.fixture';

describe('Idempotency-Key', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  before(async () => {
    f = await startSandboxFixture({ webhooks: false });
  });
  after(() => f.stop());

  const authorizationBody = (number: string = TEST_CARDS.approved) => ({ amount: usd(1999), card: card(number), reference: randomUUID() });
  const refundCount = async (id: string) => (await f.get(`/v1/authorizations/${id}`)).body.refunds.length;

  describe('POST /v1/authorizations', () => {
    it('when the header is missing, then 400 idempotency_key_required and nothing is stored', async () => {
      const body = authorizationBody();

      const response = await f.post('/v1/authorizations', body, { key: null });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('idempotency_key_required');
      expect(await authorizationsWithReference(f.db, body.reference)).to.equal(0);
    });

    it('when the key is longer than 200 characters, then 400 invalid_request', async () => {
      const response = await f.post('/v1/authorizations', authorizationBody(), { key: 'k'.repeat(201) });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('invalid_request');
    });

    it('when the same key comes again with the same body, then the same status and body, marked replayed, and no second authorization', async () => {
      const key = randomUUID();
      const body = authorizationBody();
      const first = await f.post('/v1/authorizations', body, { key });

      const again = await f.post('/v1/authorizations', body, { key });

      expect(first.status).to.equal(201);
      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      expect(first.headers.get('idempotent-replayed')).to.equal(null);
      expect(await authorizationsWithReference(f.db, body.reference)).to.equal(1);
    });

    it('when the same key comes again with its fields in another order, then it is the same request', async () => {
      const key = randomUUID();
      const body = authorizationBody();
      const first = await f.post('/v1/authorizations', body, { key });

      const again = await f.post('/v1/authorizations', { reference: body.reference, card: body.card, amount: { currency: 'USD', amount: 1999 } }, { key });

      expect(again.status).to.equal(201);
      expect(again.body.id).to.equal(first.body.id);
    });

    it('when the same key comes with another body, then 409 idempotency_key_reused and nothing is done', async () => {
      const key = randomUUID();
      const first = authorizationBody();
      await f.post('/v1/authorizations', first, { key });
      const other = { ...first, amount: usd(2000), reference: randomUUID() };

      const response = await f.post('/v1/authorizations', other, { key });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('idempotency_key_reused');
      expect(await authorizationsWithReference(f.db, other.reference)).to.equal(0);
    });

    it('when a 402 decline is sent again with its key, then the same 402 is replayed and one declined authorization is stored', async () => {
      const key = randomUUID();
      const body = authorizationBody(TEST_CARDS.declined);
      const first = await f.post('/v1/authorizations', body, { key });

      const again = await f.post('/v1/authorizations', body, { key });

      expect(first.status).to.equal(402);
      expect(again.status).to.equal(402);
      expect(again.body).to.deep.equal(first.body);
      expect(await authorizationsWithReference(f.db, body.reference)).to.equal(1);
    });

    it('when requests with one key arrive at the same time, then all get the one answer and one authorization is made', async () => {
      const key = randomUUID();
      const body = authorizationBody();

      const responses = await Promise.all(Array.from({ length: 6 }, () => f.post('/v1/authorizations', body, { key })));

      expect(responses.map((r) => r.status)).to.deep.equal(Array(6).fill(201));
      expect(new Set(responses.map((r) => r.body.id)).size).to.equal(1);
      expect(await authorizationsWithReference(f.db, body.reference)).to.equal(1);
    });

    it('when the provider failed (500), then the answer is not kept: the key can be tried again', async () => {
      const key = randomUUID();

      const response = await f.post('/v1/authorizations', authorizationBody(TEST_CARDS.processingError), { key });

      expect(response.status).to.equal(500);
      const { rows } = await sql`SELECT 1 FROM idempotency_keys WHERE key = ${key}`.execute(f.db);
      expect(rows).to.have.length(0);
    });

    it('when the request is not valid (400), then the key stays free for a corrected request', async () => {
      const key = randomUUID();
      const body = authorizationBody();
      await f.post('/v1/authorizations', { ...body, amount: usd(0) }, { key });

      const corrected = await f.post('/v1/authorizations', body, { key });

      expect(corrected.status).to.equal(201);
    });
  });

  describe('POST /v1/authorizations/:id/capture, /void and /refunds', () => {
    it('when the header is missing, then 400 idempotency_key_required and nothing is captured', async () => {
      const id = await f.authorized();

      const response = await f.post(`/v1/authorizations/${id}/capture`, undefined, { key: null });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('idempotency_key_required');
      expect((await f.get(`/v1/authorizations/${id}`)).body.status).to.equal('authorized');
    });

    it('when a refund is sent again with its key, then the same refund is answered and only one is made', async () => {
      const id = await f.captured(TEST_CARDS.approved, 3000);
      const key = randomUUID();
      const first = await f.post(`/v1/authorizations/${id}/refunds`, { amount: usd(1000) }, { key });

      const again = await f.post(`/v1/authorizations/${id}/refunds`, { amount: usd(1000) }, { key });

      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(await refundCount(id)).to.equal(1);
    });

    it('when a refund key comes again with another amount, then 409 idempotency_key_reused', async () => {
      const id = await f.captured(TEST_CARDS.approved, 3000);
      const key = randomUUID();
      await f.post(`/v1/authorizations/${id}/refunds`, { amount: usd(1000) }, { key });

      const response = await f.post(`/v1/authorizations/${id}/refunds`, { amount: usd(500) }, { key });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('idempotency_key_reused');
      expect(await refundCount(id)).to.equal(1);
    });

    it('when a capture that failed (402) is sent again with its key, then the 402 is replayed and no second attempt or event is made', async () => {
      const id = await f.authorized(TEST_CARDS.captureFails);
      const key = randomUUID();
      const first = await f.post(`/v1/authorizations/${id}/capture`, undefined, { key });

      const again = await f.post(`/v1/authorizations/${id}/capture`, undefined, { key });

      expect(again.status).to.equal(402);
      expect(again.body).to.deep.equal(first.body);
      expect((await f.events(id)).map((e) => e.type)).to.deep.equal(['payment.capture_failed']);
    });

    it('when a capture key is replayed after the authorization changed, then the answer stored for it comes back unchanged', async () => {
      const id = await f.authorized(TEST_CARDS.approved, 3000);
      const key = randomUUID();
      const captured = await f.post(`/v1/authorizations/${id}/capture`, undefined, { key });
      await f.post(`/v1/authorizations/${id}/refunds`, { amount: usd(1000) });

      const again = await f.post(`/v1/authorizations/${id}/capture`, undefined, { key });

      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(captured.body);
      expect(again.body.refundedAmount).to.deep.equal(usd(0));
      expect((await f.get(`/v1/authorizations/${id}`)).body.refundedAmount).to.deep.equal(usd(1000));
    });

    it('when one key is used on two routes, then each route answers on its own', async () => {
      const key = randomUUID();
      const authorized = await f.post('/v1/authorizations', authorizationBody(), { key });

      const captured = await f.post(`/v1/authorizations/${authorized.body.id}/capture`, undefined, { key });

      expect(captured.status).to.equal(200);
      expect(captured.body.status).to.equal('captured');
    });
  });
});
