import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createDatabase, sql, type Kysely } from '@shop/db';
import { verifyWebhook } from '@shop/platform';
import { eventually, httpClient, testDatabaseUrl, testLogger, type TestResponse } from '@shop/testkit';
import { TEST_CARDS } from '../src/cards';
import { loadSandboxConfig } from '../src/config';
import { startPaymentSandbox, type RunningSandbox } from '../src/sandbox';

export const API_KEY = 'test-provider-key';
export const WEBHOOK_SECRET = 'test-webhook-secret';

/** One request the receiver got, and whether its X-Signature held for its raw body. */
export interface ReceivedWebhook {
  id: string;
  type: string;
  created: number;
  data: Record<string, any>;
  signature: string | undefined;
  contentType: string | undefined;
  verified: boolean;
  /** What the receiver answered. */
  answered: number | 'dropped';
}

/** A stand-in for the payment service's webhook route: records what comes, answers as scripted. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The requests about one authorization or PayPal approval (`data.approvalId`), in the order they came. */
  about(id: string): ReceivedWebhook[];
  /**
   * What to answer the next requests about this authorization (or, for an event with none, this
   * approval), in order (a status, or 'drop' to cut the connection); 200 once the script is used up.
   */
  script(id: string, answers: Array<number | 'drop'>): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret = WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const scripts = new Map<string, Array<number | 'drop'>>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signature = req.headers['x-signature'] as string | undefined;
      let verified = true;
      try {
        verifyWebhook(secret, signature, raw);
      } catch {
        verified = false;
      }
      const body = JSON.parse(raw.toString('utf8')) as Omit<ReceivedWebhook, 'signature' | 'contentType' | 'verified' | 'answered'>;
      const answer = scripts.get(body.data.authorizationId ?? body.data.approvalId)?.shift() ?? 200;
      received.push({ ...body, signature, contentType: req.headers['content-type'], verified, answered: answer === 'drop' ? 'dropped' : answer });
      if (answer === 'drop') req.socket.destroy();
      else res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/payments`,
    received,
    about: (id) => received.filter((w) => w.data.authorizationId === id || w.data.approvalId === id),
    script: (id, answers) => scripts.set(id, [...answers]),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** A card that is good for years unless told otherwise. */
export function card(number: string = TEST_CARDS.approved, overrides: Partial<CardInput> = {}): CardInput {
  return { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: '123', ...overrides };
}

export const usd = (amount: number) => ({ amount, currency: 'USD' });

/** What a browser gets: the status, the headers (a redirect is not followed) and the text. */
export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ApprovalInput {
  amount: { amount: number; currency: string };
  reference: string;
  returnUrl: string;
  cancelUrl: string;
}

/** A PayPal approval request with a new reference and the shop's return and cancel pages. */
export function approvalRequest(overrides: Partial<ApprovalInput> = {}): ApprovalInput {
  const reference = overrides.reference ?? randomUUID();
  return {
    amount: usd(2500),
    reference,
    returnUrl: `https://shop.test/checkout/paypal/return?order=${encodeURIComponent(reference)}`,
    cancelUrl: `https://shop.test/checkout/paypal/cancel?order=${encodeURIComponent(reference)}`,
    ...overrides,
  };
}

export interface SandboxFixture {
  sandbox: RunningSandbox;
  databaseUrl: string;
  /** The sandbox's own database, for looking behind the API. */
  db: Kysely<any>;
  receiver: WebhookReceiver | undefined;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<TestResponse<T>>;
  /** POSTs with the API key and a new Idempotency-Key unless one is given (`key: null` sends none). */
  post<T = any>(path: string, body?: unknown, options?: { key?: string | null; headers?: Record<string, string> }): Promise<TestResponse<T>>;
  /** Authorizes `amount` on a card (4242… unless told); the raw answer. */
  authorize(number?: string, amount?: number, overrides?: Partial<CardInput>): Promise<TestResponse>;
  /** An authorized authorization's id (fails the test if the card is not approved). */
  authorized(number?: string, amount?: number): Promise<string>;
  /** An authorization captured in full. */
  captured(number?: string, amount?: number): Promise<string>;
  /** The stored events of an authorization, oldest first. */
  events(authorizationId: string): Promise<Array<Record<string, any>>>;
  /** The stored events of a PayPal approval, oldest first. */
  approvalEvents(approvalId: string): Promise<Array<Record<string, any>>>;
  /** A new PayPal approval awaiting the shopper: the 201 body (fails the test on another answer). */
  approval(overrides?: Partial<ApprovalInput>): Promise<Record<string, any>>;
  /** A shopper's browser request to the sandbox: no API key; a form post if `form` is given. */
  page(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<PageResponse>;
  stop(): Promise<void>;
}

export interface FixtureOptions {
  /** False: no WEBHOOK_URL (events stored, not sent). */
  webhooks?: boolean;
  /** Another sandbox's database (a second replica). */
  databaseUrl?: string;
  receiver?: WebhookReceiver;
  env?: Record<string, string>;
}

export async function startSandboxFixture(options: FixtureOptions = {}): Promise<SandboxFixture> {
  const receiver = options.webhooks === false ? undefined : (options.receiver ?? (await startWebhookReceiver()));
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl('sandbox');
  const config = loadSandboxConfig({
    PORT: '0',
    DATABASE_URL: databaseUrl,
    PROVIDER_API_KEY: API_KEY,
    WEBHOOK_SECRET,
    WEBHOOK_URL: receiver?.url ?? '',
    WEBHOOK_RETRY_FIRST_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '200',
    WEBHOOK_POLL_INTERVAL_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
    ...options.env,
  });
  const sandbox = await startPaymentSandbox(config, testLogger('payment-sandbox'));
  const db = createDatabase<any>({ url: databaseUrl, logger: testLogger('payment-sandbox-test') });
  const client = httpClient(sandbox.url);

  const get = <T = any>(path: string, headers: Record<string, string> = { 'x-api-key': API_KEY }) => client.get<T>(path, { headers });
  const post = <T = any>(path: string, body?: unknown, opts: { key?: string | null; headers?: Record<string, string> } = {}) => {
    const key = opts.key === undefined ? randomUUID() : opts.key;
    const headers: Record<string, string> = { 'x-api-key': API_KEY, ...(key === null ? {} : { 'idempotency-key': key }), ...opts.headers };
    return client.post<T>(path, body, { headers });
  };
  const authorize = (number?: string, amount = 2500, overrides: Partial<CardInput> = {}) =>
    post('/v1/authorizations', { amount: usd(amount), card: card(number, overrides), reference: randomUUID() });

  async function authorized(number?: string, amount?: number) {
    const response = await authorize(number, amount);
    if (response.status !== 201) throw new Error(`not authorized: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  }

  return {
    sandbox,
    databaseUrl,
    db,
    receiver,
    get,
    post,
    authorize,
    authorized,
    async captured(number, amount) {
      const id = await authorized(number, amount);
      const response = await post(`/v1/authorizations/${id}/capture`);
      if (response.status !== 200) throw new Error(`not captured: ${response.status} ${JSON.stringify(response.body)}`);
      return id;
    },
    async events(authorizationId) {
      return (await get(`/v1/events?authorizationId=${authorizationId}`)).body.data;
    },
    async approvalEvents(approvalId) {
      return (await get(`/v1/events?approvalId=${approvalId}`)).body.data;
    },
    async approval(overrides) {
      const response = await post('/v1/paypal/approvals', approvalRequest(overrides));
      if (response.status !== 201) throw new Error(`no approval: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async page(method, path, form) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        redirect: 'manual',
        ...(form && { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() }),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    },
    async stop() {
      await sandbox.stop();
      await db.destroy();
      if (!options.receiver) await receiver?.close();
    },
  };
}

/** Waits until the receiver got `count` requests about an authorization (or a PayPal approval). */
export function webhooksAbout(receiver: WebhookReceiver, id: string, count: number, timeoutMs = 5_000): Promise<ReceivedWebhook[]> {
  return eventually(() => receiver.about(id).length >= count && receiver.about(id), timeoutMs, `${count} webhooks about ${id}`);
}

/** How many authorizations with this reference the sandbox stored. */
export async function authorizationsWithReference(db: Kysely<any>, reference: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM authorizations WHERE reference = ${reference}`.execute(db);
  return rows[0]!.n;
}
