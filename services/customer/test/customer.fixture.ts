import { randomUUID } from 'node:crypto';
import { routingKeyOf, type AggregateRef, type EventContract, type EventEnvelope } from '@shop/contracts';
import { buildEnvelope, sql } from '@shop/db';
import { connectBroker } from '@shop/messaging';
import type { Logger } from '@shop/platform';
import { eventually, httpClient, publishedEvents, tapEvents, testAmqpUrl, testDatabaseUrl, testLogger, type EventTap, type HttpClient, verificationLinkOf } from '@shop/testkit';
import { loadCustomerConfig } from '../src/config';
import { startCustomerService, type RunningCustomerService } from '../src/service';

export const ADMIN = { email: 'admin@shop.test', password: 'Admin12345' };
export const PASSWORD = 'correct-horse-1';

export interface CustomerFixture {
  service: RunningCustomerService;
  /** The service's main port: its HTTP routes. */
  api: HttpClient;
  /** The operations port: `/health/ready` and `/metrics`. */
  ops: HttpClient;
  /** What the service published on the broker, as another consumer would see it. */
  tap: EventTap;
  /** Registers a new customer with a unique e-mail and returns its id, e-mail and verification token. */
  register(overrides?: Partial<{ email: string; password: string; firstName: string; lastName: string }>): Promise<{ customerId: string; email: string; token: string }>;
  /** Logs in (expecting 200) and returns the pair. */
  login(email: string, password?: string): Promise<{ accessToken: string; refreshToken: string; customer: { id: string } }>;
  /** Registers, verifies and logs in. */
  signedInCustomer(): Promise<{ customerId: string; email: string; accessToken: string; refreshToken: string }>;
  adminToken(): Promise<string>;
  /**
   * Payloads of the events of a type the service published, oldest first: its outbox is drained and
   * every event of the type must have reached the broker (the tap), else the call fails.
   */
  events(type: string): Promise<Array<{ id: string; data: Record<string, any> }>>;
  /** Publishes an event of another service (an order event, say) as its relay would. */
  publish<D>(contract: EventContract<D>, data: D, aggregate: AggregateRef): Promise<EventEnvelope<D>>;
  /** Publishes an envelope again, as the broker redelivers one. */
  redeliver(envelope: EventEnvelope): Promise<void>;
  /** Waits until the service's consumer has taken this event in (its inbox has it). */
  consumed(event: EventEnvelope): Promise<void>;
  /** The metadata of the info lines the service logged with this message, oldest first. */
  logged(message: string): Array<Record<string, any>>;
  stop(): Promise<void>;
}

export const uniqueEmail = (tag = 'customer') => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

/** The session an access token belongs to (its `sid` claim). */
export function sessionIdOf(accessToken: string): string {
  const [, payload] = accessToken.split('.');
  return JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8')).sid as string;
}

/** A test logger that also remembers what was logged at info level, so tests can wait for work done after an answer. */
function recordingLogger(): { logger: Logger; lines: Array<{ message: string; meta: Record<string, any> }> } {
  const logger = testLogger('customer');
  const lines: Array<{ message: string; meta: Record<string, any> }> = [];
  const info = logger.info.bind(logger) as (...args: unknown[]) => Logger;
  logger.info = ((message: unknown, ...rest: unknown[]) => {
    if (typeof message === 'string') lines.push({ message, meta: (rest[0] ?? {}) as Record<string, any> });
    return info(message, ...rest);
  }) as Logger['info'];
  return { logger, lines };
}

export async function startCustomerFixture(env: Record<string, string> = {}): Promise<CustomerFixture> {
  // The tap listens on the broker itself, even when the service is given a proxied AMQP_URL.
  const amqpUrl = await testAmqpUrl();
  const tap = await tapEvents(amqpUrl);
  const config = loadCustomerConfig({
    DATABASE_URL: testDatabaseUrl('customer'),
    AMQP_URL: amqpUrl,
    PORT: '0',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const { logger, lines } = recordingLogger();
  let service: RunningCustomerService;
  try {
    service = await startCustomerService(config, logger);
  } catch (err) {
    await tap.close();
    throw err;
  }
  const api = httpClient(service.url);
  const publisher = connectBroker({ url: amqpUrl, name: 'customer-test-publisher', logger: testLogger('customer-test') });

  async function publish<D>(contract: EventContract<D>, data: D, aggregate: AggregateRef) {
    await eventually(() => publisher.isConnected(), 10_000, 'broker connection');
    const envelope = buildEnvelope('test', contract, data, aggregate);
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope: envelope as EventEnvelope }]);
    return envelope;
  }

  async function redeliver(envelope: EventEnvelope) {
    await publisher.publish([{ routingKey: routingKeyOf(envelope), envelope }]);
  }

  async function consumed(event: EventEnvelope) {
    await eventually(async () => (await sql`SELECT 1 FROM inbox WHERE event_id = ${event.id}`.execute(service.deps.db)).rows.length > 0, 10_000, `${event.type} consumed`);
  }

  async function events(type: string) {
    return (await publishedEvents(service, tap, type)).map((e) => ({ id: e.id, data: e.data }));
  }

  async function register(overrides: Partial<{ email: string; password: string; firstName: string; lastName: string }> = {}) {
    const body = { email: uniqueEmail(), password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace', ...overrides };
    const response = await api.post('/customers', body);
    if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
    const registered = (await events('customer.registered')).find((e) => e.data.customerId === response.body.customerId);
    return { customerId: response.body.customerId as string, email: body.email.toLowerCase(), token: verificationLinkOf(registered?.data).token };
  }

  async function login(email: string, password = PASSWORD) {
    const response = await api.post('/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { accessToken: string; refreshToken: string; customer: { id: string } };
  }

  return {
    service,
    api,
    ops: httpClient(service.opsUrl),
    tap,
    register,
    login,
    events,
    publish,
    redeliver,
    consumed,
    logged: (message) => lines.filter((l) => l.message === message).map((l) => l.meta),
    async signedInCustomer() {
      const { customerId, email, token } = await register();
      await api.post('/customers/verify', { token });
      const { accessToken, refreshToken } = await login(email);
      return { customerId, email, accessToken, refreshToken };
    },
    async adminToken() {
      return (await login(ADMIN.email, ADMIN.password)).accessToken;
    },
    async stop() {
      try {
        await publisher.close();
        await service.stop();
      } finally {
        await tap.close();
      }
    },
  };
}
