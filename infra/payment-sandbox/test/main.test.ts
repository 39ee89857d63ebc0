import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { httpClient, startShopProcess, testDatabaseUrl, type ShopProcess } from '@shop/testkit';
import { TEST_CARDS } from '../src/cards';
import { card, usd } from './sandbox.fixture';

describe('the sandbox process (src/main.ts)', function () {
  this.timeout(60_000);
  let child: ShopProcess | undefined;
  afterEach(() => child?.kill('SIGKILL'));

  it('when it serves the test cards and gets SIGTERM, then it exits 0 and no log line holds a card number or CVC', async () => {
    child = startShopProcess('infra/payment-sandbox/src/main.ts', {
      PORT: '0',
      DATABASE_URL: testDatabaseUrl('sandbox'),
      PROVIDER_API_KEY: 'process-key',
      LOG_LEVEL: 'debug',
    });
    const started = await child.waitForLog('payment sandbox started');
    const api = httpClient(String(started.url));
    const headers = () => ({ 'x-api-key': 'process-key', 'idempotency-key': randomUUID() });
    const cvc = '4719';
    for (const number of Object.values(TEST_CARDS)) {
      const response = await api.post('/v1/authorizations', { amount: usd(900), card: card(number, { cvc }), reference: randomUUID() }, { headers: headers() });
      if (response.status === 201) await api.post(`/v1/authorizations/${response.body.id}/capture`, undefined, { headers: headers() });
    }
    await api.post('/v1/authorizations', { amount: usd(900), card: card(TEST_CARDS.approved, { cvc: `${cvc}x` }), reference: randomUUID() }, { headers: headers() });
    await api.call('POST', '/v1/authorizations', { raw: `{"card":{"number":"${TEST_CARDS.approved}","cvc":"${cvc}"`, headers: headers() });

    child.kill('SIGTERM');

    expect(await child.exited).to.deep.equal({ code: 0, signal: null });
    const logs = child.logs().map((line) => JSON.stringify(line));
    expect(logs.some((line) => line.includes('"stopped"'))).to.equal(true);
    for (const line of logs) {
      for (const number of Object.values(TEST_CARDS)) expect(line).not.to.contain(number);
      expect(line).not.to.contain(`"${cvc}`);
    }
  });
});
