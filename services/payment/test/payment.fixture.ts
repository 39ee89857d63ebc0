import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { orderCancelled, orderPlaced, routingKeyOf, subscriptions, type EventEnvelope, type OrderCancelledV1, type OrderPlacedV1 } from '@shop/contracts';
import { buildEnvelope } from '@shop/db';
import { connectBroker, countParked, type Broker } from '@shop/messaging';
import { signWebhook, type Logger } from '@shop/platform';
import { loadSandboxConfig } from '@shop/payment-sandbox/src/config';
import { startPaymentSandbox, type RunningSandbox } from '@shop/payment-sandbox/src/sandbox';
import {
  eventually,
  freePort,
  httpClient,
  publishedEvents,
  startTokenIssuer,
  tapEvents,
  testAmqpUrl,
  testDatabaseUrl,
  testLogger,
  type EventTap,
  type HttpClient,
  type TestResponse,
  type TokenIssuer,
} from '@shop/testkit';
import type { PaymentProvider } from '../src/app/payment-provider';
import { loadPaymentConfig } from '../src/config';
import { startPaymentService, type RunningPaymentService } from '../src/service';
import { startProviderLine, type ProviderLine } from './provider-line';

export const WEBHOOK_SECRET = 'payment-test-webhook-secret';
/** The shop's key at the sandbox provider (its X-Api-Key). */
export const PROVIDER_API_KEY = 'payment-test-provider-key';

/** The sandbox's test cards (API.md). */
export const CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  amex: '378282246310005',
  providerError: '4000000000000119',
  captureDeclined: '4000000000000341',
  refundFails: '4000000000000259',
};

export const card = (cardNumber = CARDS.approved, overrides: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) => ({
  cardNumber,
  expMonth: 12,
  expYear: new Date().getUTCFullYear() + 2,
  cvc: '123',
  ...overrides,
});
export const usd = (amount: number) => ({ amount, currency: 'USD' });

/** Pages of the shop a shopper may come back to from PayPal (the default PAYPAL_RETURN_ORIGINS). */
export const SHOP_ORIGIN = 'http://localhost:8080';
export const returnPages = (orderId: string) => ({
  returnUrl: `${SHOP_ORIGIN}/checkout/paypal/return?order=${orderId}`,
  cancelUrl: `${SHOP_ORIGIN}/checkout/paypal/cancel?order=${orderId}`,
});

/** A call the service made through its provider port (never with the card). */
export interface ProviderCall {
  method: 'authorize' | 'capture' | 'void' | 'refund' | 'statusOf' | 'authorizationsFor' | 'createApproval' | 'withdrawApproval' | 'approvalsFor';
  /**
   * The order id (authorize, authorizationsFor, createApproval, approvalsFor), the provider's
   * approval id (withdrawApproval) or its authorization id (the others).
   */
  ref: string;
}

/** A page of the sandbox as a shopper's browser gets it, redirects not followed. */
export interface ShopperPage {
  status: number;
  /** Where a 303 sends the browser. */
  location: string | null;
  text: string;
}

/** A PayPal order whose shopper was sent to the provider. */
export interface PaypalOrder {
  orderId: string;
  customerId: string;
  token: string;
  paymentId: string;
  redirectUrl: string;
  returnUrl: string;
  cancelUrl: string;
}

/** A line a logger wrote, as it would reach stdout, with every value it carried. */
export interface LogEntry {
  source: 'payment' | 'payment-sandbox';
  level: string;
  message: string;
  meta: Record<string, any>;
  /** The JSON line the logger's format makes of it. */
  line: string;
  /** The entry as it was handed to the logger, errors and causes included. */
  raw: string;
  /** Every string and number in the entry (errors' messages, stacks and causes included), and in its line. */
  values: string[];
}

/** An event as the sandbox stored it (GET /v1/events). */
export interface SandboxEvent {
  id: string;
  type: string;
  created: number;
  data: Record<string, any>;
  delivery: { status: string; attempts: number };
}

/** The webhook body the sandbox sends for a stored event (its README: `{ id, type, created, data }`). */
export const webhookBodyOf = (event: SandboxEvent) => JSON.stringify({ id: event.id, type: event.type, created: event.created, data: event.data });

export interface PaymentFixtureOptions {
  /** false: the sandbox stores its events and sends no webhook (as if the service never got one). */
  webhooks?: boolean;
  /** true: the service reaches the sandbox through a line the test can cut or slow down (`providerLine`). */
  providerProxy?: boolean;
}

export interface PaymentFixture {
  service: RunningPaymentService;
  /** Signs customers' access tokens the service accepts. */
  issuer: TokenIssuer;
  api: HttpClient;
  /** The sandbox provider's own API, as an operator of the shop would query it. */
  provider: HttpClient;
  sandbox: RunningSandbox;
  tap: EventTap;
  /** The line from the service to the sandbox, with `providerProxy: true`. */
  providerLine: ProviderLine | undefined;
  /** POST /internal/payments/authorizations for a new order (or the one given). */
  authorize(cardNumber?: string, amount?: number, orderId?: string): Promise<{ orderId: string; response: TestResponse }>;
  /** POST /internal/payments/authorizations with `method: 'paypal'` for a new order (or the one given). */
  authorizePaypal(amount?: number, orderId?: string, customerId?: string): Promise<{ orderId: string; customerId: string; response: TestResponse }>;
  /** POST /payments/paypal as the customer (`token: null`: without a token), with the shop's pages unless others are given. */
  requestApproval(orderId: string, token: string | null, pages?: Partial<{ returnUrl: string; cancelUrl: string }>): Promise<TestResponse>;
  /** A PayPal order awaiting approval whose shopper was sent to the provider (200 from POST /payments/paypal). */
  paypalOrder(amount?: number): Promise<PaypalOrder>;
  /** Opens a page of the sandbox as the shopper's browser would (GET, or POST an empty form), without following redirects. */
  page(method: 'GET' | 'POST', url: string): Promise<ShopperPage>;
  /** The sandbox's PayPal approvals for an order id, oldest first. */
  approvalsFor(orderId: string): Promise<Array<Record<string, any>>>;
  /** Publishes order.placed for an order, as the order service's relay would. */
  placeOrder(orderId: string, amount?: number): Promise<EventEnvelope<OrderPlacedV1>>;
  /** Publishes order.cancelled for an order (after its order.placed), as the order service's relay would. */
  cancelOrder(orderId: string, refundAmount?: number): Promise<EventEnvelope<OrderCancelledV1>>;
  redeliver(envelope: EventEnvelope): Promise<void>;
  /** The events of a type the service published (seen on the broker), oldest first. */
  events(type: string): Promise<Array<Record<string, any>>>;
  /** The events of a type the service published about one order. */
  eventsFor(type: string, orderId: string): Promise<Array<Record<string, any>>>;
  /** The sandbox's authorizations for an order id. */
  authorizationsFor(orderId: string): Promise<Array<{ id: string; status: string }>>;
  /** The events the sandbox stored about one authorization, oldest first. */
  sandboxEvents(authorizationId: string): Promise<SandboxEvent[]>;
  /** GET /internal/payments/:orderId */
  payment(orderId: string): Promise<TestResponse>;
  /** Waits until the order's payment has this status, and returns it. */
  paymentReaches(orderId: string, status: string, timeoutMs?: number): Promise<Record<string, any>>;
  /** The calls the service made through its provider port, about one order or authorization if given. */
  providerCalls(ref?: string): ProviderCall[];
  /** Holds every authorization before it reaches the provider, until the function returned is called. */
  holdAuthorizations(): () => void;
  /** Holds every capture before it reaches the provider (it was asked for), until the function returned is called. */
  holdCaptures(): () => void;
  /**
   * POSTs a webhook to /webhooks/payments as the provider would: the raw JSON, signed with the
   * shop's secret now (or `secret`, or at `at`); `signature: null` sends none.
   */
  postWebhook(body: string | object, options?: { secret?: string; at?: Date; signature?: string | null }): Promise<TestResponse>;
  /** Every line the payment service (and the sandbox) logged so far, at any level. */
  logs(): LogEntry[];
  /** The metadata of the lines the payment service logged with this message, oldest first. */
  logged(message: string): Array<Record<string, any>>;
  /** How many order events wait in the service's parking lot. */
  parked(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A test logger that also keeps every line written to it, whatever the level: tests wait for work
 * done after an answer, and check what operators would read.
 */
function recordingLogger(source: LogEntry['source'], entries: LogEntry[]): Logger {
  const logger = testLogger(source);
  const write = logger.write.bind(logger) as (info: any, ...rest: unknown[]) => boolean;
  const messageKey = Symbol.for('message');
  (logger as unknown as { write: typeof write }).write = (info: any, ...rest: unknown[]) => {
    const raw = inspect(info, { depth: 10, breakLength: Infinity });
    const formatted = logger.format.transform({ ...info }, logger.format.options) as Record<string | symbol, unknown> | false;
    const line = formatted ? String(formatted[messageKey] ?? JSON.stringify(formatted)) : raw;
    const { level, message, ...meta } = info as Record<string, any>;
    entries.push({ source, level: String(level), message: String(message), meta, line, raw, values: [...valuesIn(info), ...valuesIn(safeParse(line))] });
    return write(info, ...rest);
  };
  return logger;
}

/** Every string and number inside a value, looking into errors (message, stack, cause) too. */
export function valuesIn(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return [String(value)];
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const children: unknown[] = Object.values(value);
  if (value instanceof Error) children.push(value.message, value.stack, value.cause);
  return children.flatMap((child) => valuesIn(child, seen));
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface Gates {
  authorizations?: Promise<void>;
  captures?: Promise<void>;
}

/** A gate the calls of one kind wait at, and the function that opens it. */
function hold(gate: Gates, kind: keyof Gates): () => void {
  let release!: () => void;
  gate[kind] = new Promise((resolve) => (release = resolve));
  return () => {
    gate[kind] = undefined;
    release();
  };
}

/**
 * Records the calls made through a provider port, in place (the service holds this very object);
 * an authorization waits for the gate, if one is set, before it goes to the provider.
 */
function recordProviderCalls(provider: PaymentProvider, calls: ProviderCall[], gate: Gates): void {
  const original = { ...provider };
  provider.authorize = async (request) => {
    calls.push({ method: 'authorize', ref: request.reference });
    await gate.authorizations;
    return original.authorize(request);
  };
  provider.capture = async (request) => {
    calls.push({ method: 'capture', ref: request.authorizationId });
    await gate.captures;
    return original.capture(request);
  };
  provider.void = (request) => (calls.push({ method: 'void', ref: request.authorizationId }), original.void(request));
  provider.refund = (request) => (calls.push({ method: 'refund', ref: request.authorizationId }), original.refund(request));
  provider.statusOf = (authorizationId) => (calls.push({ method: 'statusOf', ref: authorizationId }), original.statusOf(authorizationId));
  provider.authorizationsFor = (reference) => (calls.push({ method: 'authorizationsFor', ref: reference }), original.authorizationsFor(reference));
  provider.createApproval = (request) => (calls.push({ method: 'createApproval', ref: request.reference }), original.createApproval(request));
  provider.withdrawApproval = (request) => (calls.push({ method: 'withdrawApproval', ref: request.approvalId }), original.withdrawApproval(request));
  provider.approvalsFor = (reference) => (calls.push({ method: 'approvalsFor', ref: reference }), original.approvalsFor(reference));
}

/**
 * The payment service against the sandbox provider, both in this process: the sandbox sends its
 * webhooks to the service's route, signed with the secret the service checks (unless
 * `webhooks: false`).
 */
export async function startPaymentFixture(env: Record<string, string> = {}, options: PaymentFixtureOptions = {}): Promise<PaymentFixture> {
  const amqpUrl = await testAmqpUrl();
  const [servicePort, sandboxPort] = await Promise.all([freePort(), freePort()]);
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const entries: LogEntry[] = [];
  const providerLine = options.providerProxy ? await startProviderLine(sandboxUrl) : undefined;
  const issuer = await startTokenIssuer();
  const broker: Broker = connectBroker({ url: amqpUrl, name: 'payment-test-publisher', logger: testLogger('payment-test') });
  // Each knows the other's address beforehand, so the two start side by side.
  const started = await Promise.allSettled([
    tapEvents(amqpUrl),
    startPaymentSandbox(
      loadSandboxConfig({
        DATABASE_URL: testDatabaseUrl('payment_sandbox'),
        PORT: String(sandboxPort),
        OPS_PORT: '0',
        PROVIDER_API_KEY,
        // Approval pages under the address the tests reach the sandbox on.
        PUBLIC_URL: sandboxUrl,
        ...(options.webhooks !== false && { WEBHOOK_URL: `http://127.0.0.1:${servicePort}/webhooks/payments` }),
        WEBHOOK_SECRET,
        WEBHOOK_RETRY_FIRST_MS: '50',
        WEBHOOK_RETRY_MAX_MS: '200',
      }),
      recordingLogger('payment-sandbox', entries),
    ),
    startPaymentService(
      loadPaymentConfig({
        DATABASE_URL: testDatabaseUrl('payment'),
        AMQP_URL: amqpUrl,
        PORT: String(servicePort),
        OPS_PORT: '0',
        PAYMENT_PROVIDER_URL: providerLine?.url ?? sandboxUrl,
        PAYMENT_PROVIDER_API_KEY: PROVIDER_API_KEY,
        PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        JWKS_URL: issuer.jwksUrl,
        PROVIDER_JOB_INTERVAL_MS: '200',
        ...env,
      }),
      recordingLogger('payment', entries),
    ),
    eventually(() => broker.isConnected(), 10_000, 'broker connection'),
  ] as const);
  const [tapStarted, sandboxStarted, serviceStarted, brokerConnected] = started;
  if (tapStarted.status === 'rejected' || sandboxStarted.status === 'rejected' || serviceStarted.status === 'rejected' || brokerConnected.status === 'rejected') {
    await Promise.allSettled([
      broker.close(),
      issuer.close(),
      providerLine?.close(),
      tapStarted.status === 'fulfilled' && tapStarted.value.close(),
      sandboxStarted.status === 'fulfilled' && sandboxStarted.value.stop(),
      serviceStarted.status === 'fulfilled' && serviceStarted.value.stop(),
    ]);
    throw started.map((r) => (r.status === 'rejected' ? r.reason : undefined)).find((reason) => reason !== undefined);
  }
  const [tap, sandbox, service] = [tapStarted.value, sandboxStarted.value, serviceStarted.value];
  const calls: ProviderCall[] = [];
  const gate: Gates = {};
  recordProviderCalls(service.deps.provider, calls, gate);
  const api = httpClient(service.url);
  const providerHeaders = { 'x-api-key': PROVIDER_API_KEY };
  const provider = httpClient(sandbox.url);

  async function publish(envelope: EventEnvelope) {
    await broker.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
  }

  async function events(type: string) {
    return (await publishedEvents(service, tap, type)).map((e) => e.data as Record<string, any>);
  }

  async function payment(orderId: string) {
    return api.get(`/internal/payments/${orderId}`);
  }

  async function authorizePaypal(amount = 4820, orderId: string = randomUUID(), customerId: string = randomUUID()) {
    const response = await api.post('/internal/payments/authorizations', { orderId, customerId, amount: usd(amount), method: 'paypal' });
    return { orderId, customerId, response };
  }

  function requestApproval(orderId: string, token: string | null, pages: Partial<{ returnUrl: string; cancelUrl: string }> = {}) {
    return api.post('/payments/paypal', { orderId, ...returnPages(orderId), ...pages }, token === null ? {} : { token });
  }

  return {
    service,
    issuer,
    api,
    provider,
    sandbox,
    tap,
    providerLine,
    async authorize(cardNumber = CARDS.approved, amount = 4820, orderId = randomUUID()) {
      const response = await api.post('/internal/payments/authorizations', { orderId, customerId: randomUUID(), amount: usd(amount), card: card(cardNumber) });
      return { orderId, response };
    },
    authorizePaypal,
    requestApproval,
    async paypalOrder(amount = 4820) {
      const { orderId, customerId, response } = await authorizePaypal(amount);
      if (response.status !== 201) throw new Error(`PayPal payment not recorded: ${response.status} ${JSON.stringify(response.body)}`);
      const token = await issuer.token({ customerId });
      const sent = await requestApproval(orderId, token);
      if (sent.status !== 200) throw new Error(`shopper not sent to PayPal: ${sent.status} ${JSON.stringify(sent.body)}`);
      return { orderId, customerId, token, paymentId: response.body.paymentId, redirectUrl: sent.body.redirectUrl, ...returnPages(orderId) };
    },
    async page(method, url) {
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        ...(method === 'POST' && { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }),
      });
      return { status: response.status, location: response.headers.get('location'), text: await response.text() };
    },
    async approvalsFor(orderId) {
      const response = await provider.get(`/v1/paypal/approvals?reference=${orderId}`, { headers: providerHeaders });
      if (response.status !== 200) throw new Error(`the sandbox answered ${response.status} for its approvals`);
      return response.body.items;
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
    async cancelOrder(orderId, refundAmount = 4820) {
      const data: OrderCancelledV1 = {
        orderId,
        orderNumber: `ORD-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
        customerId: randomUUID(),
        reason: 'changed my mind',
        lineItems: [{ productId: randomUUID(), variantId: randomUUID(), sku: 'SKU-1', name: 'Mug', quantity: 1, unitPrice: usd(refundAmount), lineTotal: usd(refundAmount) }],
        refundAmount: usd(refundAmount),
        cancelledBy: null,
        cancelledAt: new Date().toISOString(),
      };
      // After order.placed (version 1): the order's version once it is cancelled.
      const envelope = buildEnvelope('order', orderCancelled, data, { type: 'order', id: orderId, version: 2 });
      await publish(envelope as EventEnvelope);
      return envelope;
    },
    redeliver: publish,
    events,
    async eventsFor(type, orderId) {
      return (await events(type)).filter((e) => e.orderId === orderId);
    },
    async authorizationsFor(orderId) {
      const response = await provider.get(`/v1/authorizations?reference=${orderId}`, { headers: providerHeaders });
      return response.body.items;
    },
    async sandboxEvents(authorizationId) {
      const response = await provider.get(`/v1/events?authorizationId=${encodeURIComponent(authorizationId)}`, { headers: providerHeaders });
      if (response.status !== 200) throw new Error(`the sandbox answered ${response.status} for its events`);
      return response.body.data as SandboxEvent[];
    },
    payment,
    async paymentReaches(orderId, status, timeoutMs = 10_000) {
      return eventually(
        async () => {
          const response = await payment(orderId);
          return response.body?.status === status && (response.body as Record<string, any>);
        },
        timeoutMs,
        `payment of ${orderId} ${status}`,
      );
    },
    providerCalls: (ref) => calls.filter((c) => ref === undefined || c.ref === ref),
    holdAuthorizations: () => hold(gate, 'authorizations'),
    holdCaptures: () => hold(gate, 'captures'),
    postWebhook(body, { secret = WEBHOOK_SECRET, at, signature } = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const header = signature === undefined ? signWebhook(secret, raw, at) : signature;
      return api.call('POST', '/webhooks/payments', { raw, headers: header === null ? {} : { 'x-signature': header } });
    },
    logs: () => entries,
    logged: (message) => entries.filter((e) => e.source === 'payment' && e.message === message).map((e) => e.meta),
    parked: () => countParked(broker, subscriptions.paymentOrderEvents.queue),
    async stop() {
      await broker.close();
      await service.stop();
      await providerLine?.close();
      await sandbox.stop();
      await tap.close();
      await issuer.close();
    },
  };
}
