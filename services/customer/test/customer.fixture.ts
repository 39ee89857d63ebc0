import { randomUUID } from 'node:crypto';
import { sql } from '@shop/db';
import { httpClient, testAmqpUrl, testDatabaseUrl, testLogger, type HttpClient } from '@shop/testkit';
import { loadCustomerConfig } from '../src/config';
import { startCustomerService, type RunningCustomerService } from '../src/service';

export const ADMIN = { email: 'admin@shop.test', password: 'Admin12345' };
export const PASSWORD = 'correct-horse-1';

export interface CustomerFixture {
  service: RunningCustomerService;
  api: HttpClient;
  /** Registers a new customer with a unique e-mail and returns its id, e-mail and verification token. */
  register(overrides?: Partial<{ email: string; password: string; firstName: string; lastName: string }>): Promise<{ customerId: string; email: string; token: string }>;
  /** Registers, verifies and logs in. */
  signedInCustomer(): Promise<{ customerId: string; email: string; accessToken: string; refreshToken: string }>;
  adminToken(): Promise<string>;
  /** Payloads of the outbox events of a type, oldest first. */
  events(type: string): Promise<Array<{ id: string; data: Record<string, any> }>>;
  stop(): Promise<void>;
}

export const uniqueEmail = (tag = 'customer') => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

export async function startCustomerFixture(env: Record<string, string> = {}): Promise<CustomerFixture> {
  const config = loadCustomerConfig({
    DATABASE_URL: testDatabaseUrl('customer'),
    AMQP_URL: await testAmqpUrl(),
    PORT: '0',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const service = await startCustomerService(config, testLogger('customer'));
  const api = httpClient(service.url);

  async function events(type: string) {
    const { rows } = await sql<{ envelope: { id: string; data: Record<string, any> } }>`SELECT envelope FROM outbox WHERE envelope->>'type' = ${type} ORDER BY id`.execute(service.deps.db);
    return rows.map((r) => ({ id: r.envelope.id, data: r.envelope.data }));
  }

  async function register(overrides: Partial<{ email: string; password: string; firstName: string; lastName: string }> = {}) {
    const body = { email: uniqueEmail(), password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace', ...overrides };
    const response = await api.post('/customers', body);
    if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
    const registered = (await events('customer.registered')).find((e) => e.data.customerId === response.body.customerId);
    return { customerId: response.body.customerId as string, email: body.email.toLowerCase(), token: registered?.data.verificationToken as string };
  }

  async function login(email: string, password: string) {
    const response = await api.post('/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { accessToken: string; refreshToken: string };
  }

  return {
    service,
    api,
    register,
    events,
    async signedInCustomer() {
      const { customerId, email, token } = await register();
      await api.post('/customers/verify', { token });
      return { customerId, email, ...(await login(email, PASSWORD)) };
    },
    async adminToken() {
      return (await login(ADMIN.email, ADMIN.password)).accessToken;
    },
    stop: () => service.stop(),
  };
}
