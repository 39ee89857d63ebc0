import { randomUUID } from 'node:crypto';
import { orderPlaced, routingKeyOf, type EventEnvelope, type OrderPlacedV1 } from '@shop/contracts';
import { buildEnvelope } from '@shop/db';
import { connectBroker, type Broker } from '@shop/messaging';
import { loadSandboxConfig } from '@shop/payment-sandbox/src/config';
import { startPaymentSandbox, type RunningSandbox } from '@shop/payment-sandbox/src/sandbox';
import { eventually, freePort, httpClient, publishedEvents, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger, type EventTap, type HttpClient } from '@shop/testkit';
import { loadPaymentConfig } from '../src/config';
import { startPaymentService, type RunningPaymentService } from '../src/service';

export const WEBHOOK_SECRET = 'payment-test-webhook-secret';
const API_KEY = 'payment-test-provider-key';

/** The sandbox's test cards (API.md). */
export const CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  amex: '378282246310005',
  providerError: '4000000000000119',
  captureDeclined: '4000000000000341',
};

export const card = (cardNumber = CARDS.approved) => ({ cardNumber, expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' });
export const usd = (amount: number) => ({ amount, currency: 'USD' });

export interface PaymentFixture {
  service: RunningPaymentService;
  api: HttpClient;
  /** The sandbox provider's own API, as an operator of the shop would query it. */
  provider: HttpClient;
  sandbox: RunningSandbox;
  tap: EventTap;
  /** POST /internal/payments/authorizations for a new order (or the one given). */
  authorize(cardNumber?: string, amount?: number, orderId?: string): Promise<{ orderId: string; response: Awaited<ReturnType<HttpClient['post']>> }>;
  /** Publishes order.placed for an order, as the order service's relay would. */
  placeOrder(orderId: string, amount?: number): Promise<EventEnvelope<OrderPlacedV1>>;
  redeliver(envelope: EventEnvelope): Promise<void>;
  /** The events of a type the service published (seen on the broker), oldest first. */
  events(type: string): Promise<Array<Record<string, any>>>;
  /** The sandbox's authorizations for an order id. */
  authorizationsFor(orderId: string): Promise<Array<{ id: string; status: string }>>;
  stop(): Promise<void>;
}

/**
 * The payment service against the sandbox provider, both in this process: the sandbox sends its
 * webhooks to the service's route, signed with the secret the service checks.
 */
export async function startPaymentFixture(env: Record<string, string> = {}): Promise<PaymentFixture> {
  const amqpUrl = await testAmqpUrl();
  const tap = await tapEvents(amqpUrl);
  const servicePort = await freePort();
  const sandbox = await startPaymentSandbox(
    loadSandboxConfig({
      DATABASE_URL: testDatabaseUrl('payment_sandbox'),
      PORT: '0',
      PROVIDER_API_KEY: API_KEY,
      WEBHOOK_URL: `http://127.0.0.1:${servicePort}/webhooks/payments`,
      WEBHOOK_SECRET,
      WEBHOOK_RETRY_FIRST_MS: '50',
      WEBHOOK_RETRY_MAX_MS: '200',
    }),
    testLogger('payment-sandbox'),
  );
  const service = await startPaymentService(
    loadPaymentConfig({
      DATABASE_URL: testDatabaseUrl('payment'),
      AMQP_URL: amqpUrl,
      PORT: String(servicePort),
      OPS_PORT: '0',
      PAYMENT_PROVIDER_URL: sandbox.url,
      PAYMENT_PROVIDER_API_KEY: API_KEY,
      PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PROVIDER_JOB_INTERVAL_MS: '200',
      ...env,
    }),
    testLogger('payment'),
  );
  const broker: Broker = connectBroker({ url: amqpUrl, name: 'payment-test-publisher', logger: testLogger('payment-test') });
  await eventually(() => broker.isConnected(), 10_000, 'broker connection');
  const api = httpClient(service.url);
  const providerHeaders = { 'x-api-key': API_KEY };
  const provider = httpClient(sandbox.url);

  async function publish(envelope: EventEnvelope) {
    await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
  }

  return {
    service,
    api,
    provider,
    sandbox,
    tap,
    async authorize(cardNumber = CARDS.approved, amount = 4820, orderId = randomUUID()) {
      const response = await api.post('/internal/payments/authorizations', { orderId, customerId: randomUUID(), amount: usd(amount), card: card(cardNumber) });
      return { orderId, response };
    },
    async placeOrder(orderId, amount = 4820) {
      const data: OrderPlacedV1 = {
        orderId,
        orderNumber: `ORD-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
        customerId: randomUUID(),
        email: 'buyer@example.com',
        lineItems: [{ productId: randomUUID(), variantId: randomUUID(), sku: 'SKU-1', name: 'Mug', quantity: 1, unitPrice: usd(amount), lineTotal: usd(amount) }],
        subtotal: usd(amount),
        shippingCost: usd(0),
        tax: usd(0),
        totalAmount: usd(amount),
        shippingAddress: { recipientName: 'Ada', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
        placedAt: new Date().toISOString(),
      };
      const envelope = buildEnvelope('order', orderPlaced, data, { type: 'order', id: orderId, version: 1 });
      await publish(envelope as EventEnvelope);
      return envelope;
    },
    redeliver: publish,
    async events(type) {
      return (await publishedEvents(service, tap, type)).map((e) => e.data);
    },
    async authorizationsFor(orderId) {
      const response = await provider.get(`/v1/authorizations?reference=${orderId}`, { headers: providerHeaders });
      return response.body.items;
    },
    async stop() {
      await broker.close();
      await service.stop();
      await sandbox.stop();
      await tap.close();
    },
  };
}
