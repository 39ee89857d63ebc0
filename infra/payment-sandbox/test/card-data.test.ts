import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from '@shop/db';
import { TEST_CARDS } from '../src/cards';
import { card, startSandboxFixture, usd, type SandboxFixture } from './sandbox.fixture';

describe('card data at rest', function () {
  this.timeout(30_000);
  let f: SandboxFixture;
  before(async () => {
    f = await startSandboxFixture();
  });
  after(() => f.stop());

  /** Every value of every text-like column (text, char, varchar, json, jsonb) of every table, as text. */
  async function everyTextValue(): Promise<string[]> {
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character', 'character varying', 'json', 'jsonb')`.execute(f.db);
    expect(columns.length).to.be.above(10);
    const values: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await sql<{ value: string | null }>`SELECT ${sql.ref(column)}::text AS value FROM ${sql.table(table)}`.execute(f.db);
      values.push(...rows.map((r) => r.value).filter((v): v is string => v !== null));
    }
    return values;
  }

  /** A text value, or each string and number inside it when it is JSON. */
  function leavesOf(value: string): string[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return [value];
    }
    const leaves: string[] = [];
    const walk = (node: unknown) => {
      if (node !== null && typeof node === 'object') Object.values(node).forEach(walk);
      else leaves.push(String(node));
    };
    walk(parsed);
    return leaves;
  }

  it('when every test card was authorized, captured, refunded, voided and replayed, then no text column of any table holds a card number or a CVC', async () => {
    const cvc = '7391';
    const numbers = Object.values(TEST_CARDS);
    for (const number of numbers) {
      const key = randomUUID();
      const body = { amount: usd(5000), card: card(number, { cvc }), reference: randomUUID() };
      const authorized = await f.post('/v1/authorizations', body, { key });
      await f.post('/v1/authorizations', body, { key });
      if (authorized.status !== 201) continue;
      const id = authorized.body.id as string;
      if (number === TEST_CARDS.approved) {
        await f.post(`/v1/authorizations/${id}/void`);
        continue;
      }
      await f.post(`/v1/authorizations/${id}/capture`);
      await f.post(`/v1/authorizations/${id}/refunds`, { amount: usd(100) });
    }
    await f.post('/v1/authorizations', { amount: usd(100), card: card(TEST_CARDS.approved, { cvc: 'x' + cvc }), reference: randomUUID() });

    const values = await everyTextValue();

    expect(values.length).to.be.above(30);
    for (const value of values) {
      for (const number of numbers) expect(value, 'a stored value').not.to.contain(number);
      expect(value).not.to.match(/cvc/i);
      // A CVC is short enough to turn up inside a hex id by chance: it is looked for as a whole value.
      expect(leavesOf(value)).not.to.include(cvc);
    }
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM idempotency_keys`.execute(f.db);
    expect(rows[0]!.n).to.be.above(10);
  });
});
