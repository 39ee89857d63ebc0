import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { CARDS, card, startPaymentFixture, usd, valuesIn, type PaymentFixture } from './payment.fixture';

describe('payment service: card data', function () {
  this.timeout(30_000);
  let f: PaymentFixture;
  before(async () => {
    // The failing card is retried briefly only: this test is about what is kept, not about retries.
    f = await startPaymentFixture({ AUTHORIZE_RETRY_WINDOW_MS: '400' });
  });
  after(() => f.stop());

  const CVC = '7391';
  // The CVC as a value of its own: four digits may well turn up inside an id or a timestamp.
  const holdsCvc = (text: string) => new RegExp(`(?<![\\w.:-])${CVC}(?![\\w.:-])`).test(text);
  const BAD_NUMBER = '4242abcd42424242';
  const numbers = [...Object.values(CARDS), BAD_NUMBER];

  /** Every value of every text-like column (text, char, varchar, json, jsonb) of every table of the service's database. */
  async function everyTextValue(): Promise<string[]> {
    const db = f.service.deps.db;
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character', 'character varying', 'json', 'jsonb')`.execute(db);
    expect(columns.map((c) => c.table_name)).to.include.members(['payments', 'provider_events', 'outbox', 'inbox']);
    const values: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await sql<{ value: string | null }>`SELECT ${sql.ref(column)}::text AS value FROM ${sql.table(table)}`.execute(db);
      values.push(...rows.map((r) => r.value).filter((v): v is string => v !== null));
    }
    return values;
  }

  /** A text value, or each string and number inside it when it is JSON. */
  function leavesOf(value: string): string[] {
    try {
      return valuesIn(JSON.parse(value));
    } catch {
      return [value];
    }
  }

  /** Every test card through every path: authorized, declined, failing, replayed, captured, refused by capture, voided, and malformed. */
  async function everyCardThroughEveryPath(): Promise<string[]> {
    const orders: string[] = [];
    for (const number of Object.values(CARDS)) {
      const body = { orderId: randomUUID(), customerId: randomUUID(), amount: usd(2650), card: card(number, { cvc: CVC }) };
      orders.push(body.orderId);
      await f.api.post('/internal/payments/authorizations', body);
      await f.api.post('/internal/payments/authorizations', body);
    }
    const [approved, declined, , , , captureDeclined] = orders as [string, string, string, string, string, string];
    await f.placeOrder(approved, 2650);
    await f.placeOrder(captureDeclined, 2650);
    await f.api.post(`/internal/payments/${declined}/void`);
    const voided = randomUUID();
    await f.api.post('/internal/payments/authorizations', { orderId: voided, customerId: randomUUID(), amount: usd(2650), card: card(CARDS.approved, { cvc: CVC }) });
    await f.api.post(`/internal/payments/${voided}/void`);
    const refused = [
      { orderId: randomUUID(), customerId: randomUUID(), amount: usd(2650), card: card(BAD_NUMBER, { cvc: CVC }) },
      { orderId: randomUUID(), customerId: randomUUID(), amount: usd(2650), card: card(CARDS.approved, { cvc: `${CVC}9` }) },
      { orderId: 'not-a-uuid', customerId: randomUUID(), amount: usd(2650), card: card(CARDS.approved, { cvc: CVC }) },
    ];
    const answers: string[] = [];
    for (const body of refused) answers.push(JSON.stringify((await f.api.post('/internal/payments/authorizations', body)).body));
    const raw = `{"card":{"cardNumber":"${CARDS.amex}","cvc":"${CVC}"`;
    answers.push(JSON.stringify((await f.api.call('POST', '/internal/payments/authorizations', { raw })).body));
    await f.paymentReaches(approved, 'captured');
    await f.paymentReaches(captureDeclined, 'capture_failed');
    return answers;
  }

  it('when every test card went through every path, then no answer, no text column of any table and no log line holds a card number or the CVC', async () => {
    const answers = await everyCardThroughEveryPath();

    const stored = await everyTextValue();
    const logs = f.logs();

    expect(answers).to.have.length(4);
    for (const answer of answers) {
      for (const number of numbers) expect(answer, 'an answer').not.to.contain(number);
      expect(answer, 'an answer').not.to.contain(CVC);
    }
    expect(stored.length).to.be.above(20);
    for (const value of stored) {
      for (const number of numbers) expect(value, 'a stored value').not.to.contain(number);
      expect(value, 'a stored value').not.to.match(/cvc/i);
      expect(leavesOf(value).filter(holdsCvc), 'a stored value').to.deep.equal([]);
    }
    expect(logs.filter((l) => l.source === 'payment').length).to.be.above(20);
    expect(logs.filter((l) => l.source === 'payment-sandbox').length).to.be.above(5);
    for (const entry of logs) {
      for (const number of numbers) {
        expect(entry.line, `a ${entry.source} log line`).not.to.contain(number);
        expect(entry.raw, `a ${entry.source} log entry`).not.to.contain(number);
      }
      expect(entry.values.filter(holdsCvc), `a ${entry.source} log line: ${entry.line}`).to.deep.equal([]);
      expect(entry.line, `a ${entry.source} log line`).not.to.match(/cvc/i);
    }
  });
});
