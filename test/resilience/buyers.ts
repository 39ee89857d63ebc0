/**
 * Buyers and an admin for the fault tests, through the gateway with plain fetch: a request that
 * gets no answer (a process killed, a line cut) is status 0, never an exception, so a buyer can
 * decide to try again as a real client would.
 */
import { randomUUID } from 'node:crypto';
import { eventually, type MailSink } from '@shop/testkit';
import { ADMIN } from './shop-processes';

export interface Answer {
  status: number;
  body: any;
}

export const HOME = { recipientName: 'Ada Lovelace', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
export const card = { method: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123' };
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function client(apiUrl: string) {
  async function call(method: string, route: string, options: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<Answer> {
    try {
      const response = await fetch(`${apiUrl}${route}`, {
        method,
        headers: {
          ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: kept as text.
      }
      return { status: response.status, body };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  /** Calls until the answer has the status (anything else is retried once a second), or throws with the last answer. */
  async function until(status: number, what: string, send: () => Promise<Answer>, timeoutMs = 60_000): Promise<Answer> {
    let last: Answer | undefined;
    try {
      return await eventually(async () => {
        last = await send();
        if (last.status === status) return last;
        await sleep(1_000);
        return undefined;
      }, timeoutMs, what);
    } catch (err) {
      throw new Error(`${String(err)} (last answer ${last?.status} ${JSON.stringify(last?.body)})`);
    }
  }

  async function adminToken(): Promise<string> {
    return (await until(200, 'admin login', () => call('POST', '/auth/login', { body: ADMIN }))).body.accessToken as string;
  }

  /** An active product with one variant and this much stock, known to the cart. */
  async function productOnSale(token: string, price: number, stock: number) {
    const category = await until(201, 'a category', () => call('POST', '/admin/categories', { body: { name: `Faults ${randomUUID().slice(0, 8)}` }, token }));
    const created = await until(201, 'a product', () =>
      call('POST', '/admin/products', {
        body: { name: `Kettle ${randomUUID().slice(0, 6)}`, description: 'For the fault tests.', price: { amount: price, currency: 'USD' }, categoryId: category.body.id, status: 'active', initialStock: stock },
        token,
      }),
    );
    return { productId: created.body.id as string, variantId: created.body.variants[0].id as string, initialStock: stock };
  }

  /** Registers, verifies through the mailed link, logs in and saves an address. */
  async function verifiedBuyer(mail: MailSink, label: string) {
    const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'buyer-pass-1';
    await until(201, 'registration', () => call('POST', '/customers', { body: { email, password, firstName: 'Ada', lastName: 'Lovelace' } }));
    const verification = await mail.waitForMail((m) => m.to.some((to) => to.address === email), 60_000);
    await until(200, 'verification', () => call('POST', '/customers/verify', { body: { token: /token=([A-Za-z0-9_-]+)/.exec(verification.text)?.[1] } }));
    const login = await until(200, 'login', () => call('POST', '/auth/login', { body: { email, password } }));
    const token = login.body.accessToken as string;
    const address = await until(201, 'an address', () => call('POST', '/customers/me/addresses', { body: HOME, token }));
    return { email, token, customerId: login.body.customer.id as string, addressId: address.body.id as string };
  }

  return { call, until, adminToken, productOnSale, verifiedBuyer };
}

export type Buyer = Awaited<ReturnType<ReturnType<typeof client>['verifiedBuyer']>>;

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}
