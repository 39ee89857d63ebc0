import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { CARDS, card, startPaymentFixture, usd, type PaymentFixture } from './payment.fixture';

describe('payment service: POST /internal/payments/authorizations', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    f = await startPaymentFixture();
  });
  after(() => f.stop());

  it('when the card is approved, then 201 authorized with brand and last four, and payment.authorized is published', async () => {
    const { orderId, response } = await f.authorize(CARDS.approved, 4820);

    expect(response.status).to.equal(201);
    expect(response.body).to.deep.include({ orderId, method: 'card', status: 'authorized', amount: usd(4820), brand: 'visa', last4: '4242', capturedAt: null, voidedAt: null });
    expect(response.body.authorizedAt).to.be.a('string');
    const authorizations = await f.authorizationsFor(orderId);
    expect(authorizations).to.have.length(1);
    expect(authorizations[0]!.status).to.equal('authorized');
    const published = await f.eventsFor('payment.authorized', orderId);
    expect(published).to.have.length(1);
    expect(published[0]).to.deep.include({ paymentId: response.body.paymentId, amount: usd(4820), authorizationId: authorizations[0]!.id, paymentMethod: 'card' });
    expect((await f.payment(orderId)).body).to.deep.equal(response.body);
  });

  it('when a Mastercard is approved, then 201 authorized with brand mastercard and its last four', async () => {
    const orderId = randomUUID();

    const response = await f.api.post('/internal/payments/authorizations', { orderId, customerId: randomUUID(), amount: usd(990), card: card('5555555555554444') });

    expect(response.status).to.equal(201);
    expect(response.body).to.deep.include({ orderId, status: 'authorized', brand: 'mastercard', last4: '4444' });
  });

  it('when the same order is authorized again, then the same 201 answer, one authorization at the provider and one payment.authorized', async () => {
    const { orderId, response: first } = await f.authorize(CARDS.approved, 2500);

    const { response: again } = await f.authorize(CARDS.approved, 2500, orderId);

    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expect(await f.authorizationsFor(orderId)).to.have.length(1);
    expect(f.providerCalls(orderId).filter((c) => c.method === 'authorize')).to.have.length(1);
    expect(await f.eventsFor('payment.authorized', orderId)).to.have.length(1);
  });

  it('when the same order is authorized twice at once, then both answers are the same authorized payment and the provider holds one authorization', async () => {
    const orderId = randomUUID();

    const [one, two] = await Promise.all([f.authorize(CARDS.approved, 3100, orderId), f.authorize(CARDS.approved, 3100, orderId)]);

    expect([one.response.status, two.response.status]).to.deep.equal([201, 201]);
    expect(one.response.body).to.deep.include({ status: 'authorized' });
    expect(two.response.body.paymentId).to.equal(one.response.body.paymentId);
    expect(await f.authorizationsFor(orderId)).to.have.length(1);
    expect(await f.eventsFor('payment.authorized', orderId)).to.have.length(1);
  });

  const declines = [
    { what: 'the card is declined', cardNumber: CARDS.declined, reason: 'card_declined' },
    { what: 'the card has insufficient funds', cardNumber: CARDS.insufficientFunds, reason: 'insufficient_funds' },
    { what: 'the card is an American Express card', cardNumber: CARDS.amex, reason: 'unsupported_card' },
  ];
  for (const { what, cardNumber, reason } of declines) {
    it(`when ${what}, then 402 PAYMENT_FAILED with details.reason ${reason}, and payment.failed is published without an authorizationId`, async () => {
      const { orderId, response } = await f.authorize(cardNumber, 1999);

      expect(response.status).to.equal(402);
      expect(response.body.error).to.deep.include({ code: 'PAYMENT_FAILED' });
      expect(response.body.error.details).to.deep.include({ reason, orderId });
      const failed = await f.eventsFor('payment.failed', orderId);
      expect(failed).to.have.length(1);
      expect(failed[0]).to.deep.include({ reason, amount: usd(1999), paymentMethod: 'card' });
      expect(failed[0]).not.to.have.property('authorizationId');
      expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
      expect((await f.payment(orderId)).body).to.deep.include({ status: 'failed', failureReason: reason });
    });
  }

  it('when the provider fails every time (card 4000000000000119), then the authorization is retried for about 2 s, then 402 PAYMENT_FAILED provider_error and payment.failed is published', async () => {
    const startedAt = Date.now();

    const { orderId, response } = await f.authorize(CARDS.providerError, 1234);

    const tookMs = Date.now() - startedAt;
    expect(response.status).to.equal(402);
    expect(response.body.error).to.deep.include({ code: 'PAYMENT_FAILED' });
    expect(response.body.error.details).to.deep.include({ reason: 'provider_error', orderId });
    expect(tookMs, 'it retried').to.be.above(500);
    expect(tookMs, 'within the retry window').to.be.below(3_500);
    expect(f.providerCalls(orderId).filter((c) => c.method === 'authorize').length).to.be.at.least(3);
    const failed = await f.eventsFor('payment.failed', orderId);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ reason: 'provider_error', amount: usd(1234) });
    expect(failed[0]).not.to.have.property('authorizationId');
    expect((await f.payment(orderId)).body).to.deep.include({ status: 'failed', failureReason: 'provider_error' });
  });

  const shopperMistakes = [
    { what: 'the card number fails its checksum', card: card('4242424242424241') },
    { what: 'the card expired last year', card: card(CARDS.approved, { expYear: new Date().getUTCFullYear() - 1 }) },
  ];
  for (const mistake of shopperMistakes) {
    it(`when ${mistake.what}, then 402 PAYMENT_FAILED with details.reason card_declined: the shopper tries another card`, async () => {
      const orderId = randomUUID();

      const response = await f.api.post('/internal/payments/authorizations', { orderId, customerId: randomUUID(), amount: usd(1999), card: mistake.card });

      expect(response.status).to.equal(402);
      expect(response.body.error).to.deep.include({ code: 'PAYMENT_FAILED' });
      expect(response.body.error.details).to.deep.include({ reason: 'card_declined', orderId });
      expect((await f.eventsFor('payment.failed', orderId))[0]).to.deep.include({ reason: 'card_declined' });
    });
  }

  it('when an order whose card was declined is authorized again, then the same 402 PAYMENT_FAILED, the provider is not asked again and no second payment.failed is published', async () => {
    const { orderId, response: first } = await f.authorize(CARDS.declined, 1999);

    const { response: again } = await f.authorize(CARDS.declined, 1999, orderId);

    expect(again.status).to.equal(402);
    expect(again.body).to.deep.equal(first.body);
    expect(f.providerCalls(orderId)).to.deep.equal([{ method: 'authorize', ref: orderId }]);
    expect(await f.eventsFor('payment.failed', orderId)).to.have.length(1);
  });

  it('when an order whose card was declined is authorized again with an approved card, then still 402 PAYMENT_FAILED card_declined: the first outcome stands', async () => {
    const { orderId } = await f.authorize(CARDS.declined, 1999);

    const { response } = await f.authorize(CARDS.approved, 1999, orderId);

    expect(response.status).to.equal(402);
    expect(response.body.error.details).to.deep.include({ reason: 'card_declined' });
    expect(f.providerCalls(orderId).filter((c) => c.method === 'authorize')).to.have.length(1);
    expect(await f.eventsFor('payment.authorized', orderId)).to.deep.equal([]);
  });

  it('when an authorized order is authorized again for another amount, then 409 CONFLICT and the provider holds only the first authorization', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);

    const { response } = await f.authorize(CARDS.approved, 4821, orderId);

    expect(response.status).to.equal(409);
    expect(response.body.error).to.deep.include({ code: 'CONFLICT' });
    expect(await f.authorizationsFor(orderId)).to.have.length(1);
    expect((await f.payment(orderId)).body).to.deep.include({ status: 'authorized', amount: usd(4820) });
    expect(await f.eventsFor('payment.authorized', orderId)).to.have.length(1);
  });

  it('when an authorized order is authorized again in another currency, then 409 CONFLICT', async () => {
    const { orderId } = await f.authorize(CARDS.approved, 4820);

    const response = await f.api.post('/internal/payments/authorizations', { orderId, customerId: randomUUID(), amount: { amount: 4820, currency: 'EUR' }, card: card() });

    expect(response.status).to.equal(409);
    expect(response.body.error).to.deep.include({ code: 'CONFLICT' });
    expect(await f.authorizationsFor(orderId)).to.have.length(1);
  });

  describe('a malformed request', () => {
    const CVC = '7391';
    const valid = () => ({ orderId: randomUUID(), customerId: randomUUID(), amount: usd(1500), card: card(CARDS.approved, { cvc: CVC }) });
    const cases: Array<{ what: string; field: string; body: (b: ReturnType<typeof valid>) => unknown; secrets: string[] }> = [
      { what: 'the card is missing', field: 'card', body: ({ card: _card, ...rest }) => rest, secrets: [] },
      {
        what: 'the card number has letters in it',
        field: 'card.cardNumber',
        body: (b) => ({ ...b, card: { ...b.card, cardNumber: '4242abcd42424242' } }),
        secrets: ['4242abcd42424242', CVC],
      },
      {
        what: 'the card number has spaces in it',
        field: 'card.cardNumber',
        body: (b) => ({ ...b, card: { ...b.card, cardNumber: '4242 4242 4242 4242' } }),
        secrets: ['4242 4242 4242 4242', CARDS.approved, CVC],
      },
      { what: 'the expiry month is 13', field: 'card.expMonth', body: (b) => ({ ...b, card: { ...b.card, expMonth: 13 } }), secrets: [CARDS.approved, CVC] },
      { what: 'the expiry month is a string', field: 'card.expMonth', body: (b) => ({ ...b, card: { ...b.card, expMonth: '12' } }), secrets: [CARDS.approved, CVC] },
      { what: 'the CVC has five digits', field: 'card.cvc', body: (b) => ({ ...b, card: { ...b.card, cvc: '73914' } }), secrets: [CARDS.approved, '73914'] },
      { what: 'the CVC has a letter in it', field: 'card.cvc', body: (b) => ({ ...b, card: { ...b.card, cvc: '73x1' } }), secrets: [CARDS.approved, '73x1'] },
      { what: 'the currency is lower-case', field: 'amount.currency', body: (b) => ({ ...b, amount: { amount: 1500, currency: 'usd' } }), secrets: [CARDS.approved, CVC] },
      { what: 'the orderId is not a UUID', field: 'orderId', body: (b) => ({ ...b, orderId: 'order-1' }), secrets: [CARDS.approved, CVC] },
      { what: 'the card number is sent at the top level as well', field: 'cardNumber', body: (b) => ({ ...b, cardNumber: CARDS.approved }), secrets: [CARDS.approved, CVC] },
    ];
    for (const { what, field, body, secrets } of cases) {
      it(`when ${what}, then 400 VALIDATION_ERROR naming ${field}, the answer quotes neither the card number nor the CVC, and nothing is authorized`, async () => {
        const request = valid();

        const response = await f.api.post('/internal/payments/authorizations', body(request));

        expect(response.status).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
        expect(response.body.error.details.fields.map((x: { field: string }) => x.field)).to.include(field);
        const text = JSON.stringify(response.body);
        for (const secret of secrets) expect(text).not.to.include(secret);
        expect((await f.payment(request.orderId)).status).to.equal(404);
        expect(f.providerCalls(request.orderId)).to.deep.equal([]);
      });
    }

    it('when the body is not JSON, then 400 VALIDATION_ERROR and the answer quotes none of it', async () => {
      const raw = `{"orderId":"${randomUUID()}","card":{"cardNumber":"${CARDS.approved}","cvc":"${CVC}"`;

      const response = await f.api.call('POST', '/internal/payments/authorizations', { raw });

      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      const text = JSON.stringify(response.body);
      expect(text).not.to.include(CARDS.approved);
      expect(text).not.to.include(CVC);
    });
  });
});
