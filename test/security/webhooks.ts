import { createHmac, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { signWebhook } from '@shop/platform';
import { eventually } from '@shop/testkit';
import { CARRIER_WEBHOOK_SECRET, PAYMENT_WEBHOOK_SECRET } from '../e2e/shop.fixture';
import type { AttackAnswer } from './attack-client';
import type { AttackContext } from './attack-context';

const KIND = 'webhooks: forged, stale, replayed';

/** A signature as the sender writes it, at any time and over any text. */
const signatureAt = (secret: string, body: string, unixSeconds: number) => `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;

/**
 * The payment provider's and the carrier's webhooks: unsigned, signed with another secret, stale,
 * from the future, over another body: 401 INVALID_SIGNATURE. A genuine event replayed changes
 * nothing, even after the order moved on.
 */
export function webhookAttacks(context: AttackContext): void {
  describe('webhooks: forged, stale and replayed', () => {
    const WEBHOOKS = [
      { path: '/api/v1/webhooks/payments', secret: PAYMENT_WEBHOOK_SECRET, body: JSON.stringify({ id: `evt_${randomUUID()}`, type: 'payment.captured', created: 1, data: { authorizationId: 'auth_forged' } }) },
      { path: '/api/v1/webhooks/carriers', secret: CARRIER_WEBHOOK_SECRET, body: JSON.stringify({ trackingNumber: 'FORGED1', status: 'delivered' }) },
    ];

    async function post(path: string, body: string, signature?: string): Promise<AttackAnswer> {
      context.count(KIND).checks += 1;
      return context.client.send({ method: 'POST', path, body, headers: signature === undefined ? {} : { 'x-signature': signature } });
    }

    /** Admin's view of an order, with its status history. */
    const adminView = async (orderId: string) => (await context.shop.api.get(`/admin/orders/${orderId}`, { token: context.admin })).body;
    const untilStatus = (orderId: string, status: string) => eventually(async () => (await adminView(orderId)).status === status, 20_000, `the order ${status}`);

    it('unsigned, another secret, stale, from the future, malformed, or over another body: 401 INVALID_SIGNATURE', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const { path, secret, body } of WEBHOOKS) {
        const forgeries = [
          undefined,
          '',
          signWebhook('not-the-secret', body),
          signatureAt(secret, body, now - 301),
          signatureAt(secret, body, now - 86_400),
          signatureAt(secret, body, now + 3_600),
          signWebhook(secret, `${body} `),
          signWebhook(secret, body).replace('t=', 't= 1'),
          `v1=${signWebhook(secret, body).split('v1=')[1]}`,
          `t=${now},v1=${'0'.repeat(64)}`,
          `t=${now},v1=${signWebhook(secret, body).split('v1=')[1]?.toUpperCase()}`,
          `t=${now}.5,v1=${createHmac('sha256', secret).update(`${now}.5.${body}`).digest('hex')}`,
        ];
        for (const signature of forgeries) {
          const answer = await post(path, body, signature);
          expect(answer.status, `${path} with ${signature}: ${answer.text}`).to.equal(401);
          expect(answer.body.error.code).to.equal('INVALID_SIGNATURE');
        }
      }
    });

    it("a genuine payment.captured replayed, before and after the order is cancelled: 200, nothing changes", async () => {
      const product = await context.tools.productOnSale(2200, 5);
      const { buyer, order } = await context.tools.buy(product.productId);
      await untilStatus(order.orderId, 'CONFIRMED');
      const events = await fetch(`${context.shop.services.paymentSandbox}/v1/events?limit=100`, { headers: { 'x-api-key': 'sandbox-key' } }).then((r) => r.json() as Promise<{ data: Array<Record<string, unknown>> }>);
      const captured = events.data.filter((e) => e.type === 'payment.captured').pop();
      expect(captured, 'the capture the provider announced').to.not.equal(undefined);
      const { delivery: _delivery, ...event } = captured as Record<string, unknown>;
      const body = JSON.stringify(event);
      const history = (await adminView(order.orderId)).statusHistory;

      expect((await post('/api/v1/webhooks/payments', body, signWebhook(PAYMENT_WEBHOOK_SECRET, body))).status).to.equal(200);
      expect((await adminView(order.orderId)).statusHistory).to.deep.equal(history);

      const cancelled = await context.shop.api.post(`/orders/${order.orderId}/cancel`, { reason: 'changed my mind' }, { token: buyer.token });
      expect(cancelled.status).to.equal(200);
      const afterCancel = (await adminView(order.orderId)).statusHistory;
      expect((await post('/api/v1/webhooks/payments', body, signWebhook(PAYMENT_WEBHOOK_SECRET, body))).status).to.equal(200);
      const view = await adminView(order.orderId);
      expect(view.status).to.equal('CANCELLED');
      expect(view.statusHistory).to.deep.equal(afterCancel);
    });

    it('a genuine carrier delivery replayed: 200, one DELIVERED in the history', async () => {
      const product = await context.tools.productOnSale(1800, 5);
      const { order } = await context.tools.buy(product.productId);
      await untilStatus(order.orderId, 'CONFIRMED');
      const trackingNumber = `1Z${randomUUID().slice(0, 12).toUpperCase()}`;
      expect((await context.shop.api.post(`/admin/orders/${order.orderId}/ship`, { trackingNumber, carrier: 'UPS' }, { token: context.admin })).status).to.equal(200);
      const body = JSON.stringify({ trackingNumber, status: 'delivered' });

      for (let attempt = 0; attempt < 3; attempt += 1) {
        const answer = await post('/api/v1/webhooks/carriers', body, signWebhook(CARRIER_WEBHOOK_SECRET, body));
        expect(answer.status, answer.text).to.equal(200);
      }
      const view = await adminView(order.orderId);
      expect(view.status).to.equal('DELIVERED');
      expect(view.statusHistory.filter((h: { to: string }) => h.to === 'DELIVERED')).to.have.length(1);
    });
  });
}
