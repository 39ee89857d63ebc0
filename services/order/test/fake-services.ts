import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Address } from '@shop/contracts';

/** The calls the order service makes, as the fake names them. */
export type FakeRoute = 'customer' | 'cart' | 'clear' | 'reserve' | 'commit' | 'release' | 'deduct' | 'authorize' | 'void';

export interface FakeCustomer {
  status: 'unverified' | 'verified' | 'suspended';
  email: string;
  addresses: Map<string, Address>;
}

export interface FakeCartLine {
  productId: string;
  variantId: string;
  productName: string;
  variantName: string;
  sku: string;
  quantity: number;
  unitPrice: { amount: number; currency: string };
  onSale: boolean;
}

/**
 * Stand-ins for the customer, cart, inventory and payment services' internal routes, with state a
 * test arranges and reads: who may order, what is in each cart, the stock, the reservations and
 * payments made. A route can be made to fail with a status or to never answer (a hung service).
 */
export interface FakeServices {
  url: string;
  customers: Map<string, FakeCustomer>;
  carts: Map<string, { cartId: string; version: number; items: FakeCartLine[] }>;
  /** Available units per variant. */
  stock: Map<string, number>;
  reservations: Map<string, { lines: Array<{ variantId: string; quantity: number }>; status: 'reserved' | 'committed' | 'released' | 'deducted' }>;
  payments: Map<string, { status: 'authorized' | 'failed' | 'voided'; amount?: unknown }>;
  /** Every call, as `<route> <id>`, in order. */
  calls: string[];
  callsOf(route: FakeRoute): string[];
  /** Routes that answer this status instead of doing anything. */
  failing: Map<FakeRoute, number>;
  /** Routes that never answer. */
  hanging: Set<FakeRoute>;
  /** How long every call waits before it answers (a slow service). */
  delayMs: number;
  close(): Promise<void>;
}

const error = (code: string, message: string, details: Record<string, unknown> = {}) => ({ error: { code, message, details } });

const DECLINES: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '378282246310005': 'unsupported_card',
  '4000000000000119': 'provider_error',
};

export async function startFakeServices(): Promise<FakeServices> {
  const fake: FakeServices = {
    url: '',
    customers: new Map(),
    carts: new Map(),
    stock: new Map(),
    reservations: new Map(),
    payments: new Map(),
    calls: [],
    callsOf: (route) => fake.calls.filter((c) => c.startsWith(`${route} `)),
    failing: new Map(),
    hanging: new Set(),
    delayMs: 0,
    close: async () => undefined,
  };

  function handle(method: string, path: string, body: any): [FakeRoute, string, () => [number, unknown]] | undefined {
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/internal\/customers\/([^/]+)\/checkout$/.exec(path))) {
      const id = m[1]!;
      return ['customer', id, () => customerDetails(id, body)];
    }
    if (method === 'GET' && (m = /^\/internal\/carts\/by-customer\/([^/]+)$/.exec(path))) {
      const id = m[1]!;
      return ['cart', id, () => [200, fake.carts.get(id) ?? { cartId: randomUUID(), version: 1, items: [] }]];
    }
    if (method === 'POST' && (m = /^\/internal\/carts\/([^/]+)\/clear$/.exec(path))) {
      const cartId = m[1]!;
      return ['clear', body.orderId, () => clearCart(cartId)];
    }
    if (method === 'POST' && path === '/internal/reservations') return ['reserve', body.orderId, () => reserve(body)];
    if (method === 'POST' && (m = /^\/internal\/reservations\/([^/]+)\/(commit|release|deduct)$/.exec(path))) {
      const [orderId, action] = [m[1]!, m[2] as 'commit' | 'release' | 'deduct'];
      return [action, orderId, () => ({ commit, release, deduct })[action](orderId)];
    }
    if (method === 'POST' && path === '/internal/payments/authorizations') return ['authorize', body.orderId, () => authorize(body)];
    if (method === 'POST' && (m = /^\/internal\/payments\/([^/]+)\/void$/.exec(path))) {
      const orderId = m[1]!;
      return ['void', orderId, () => voidPayment(orderId)];
    }
    return undefined;
  }

  function customerDetails(id: string, body: { shippingAddressId?: string; shippingAddress?: Address }): [number, unknown] {
    const customer = fake.customers.get(id);
    if (!customer) return [404, error('CUSTOMER_NOT_FOUND', 'customer not found')];
    if (customer.status === 'suspended') return [403, error('ACCOUNT_SUSPENDED', 'this account is suspended')];
    if (customer.status === 'unverified') return [403, error('EMAIL_NOT_VERIFIED', 'verify your e-mail address')];
    const address = body.shippingAddress ?? customer.addresses.get(body.shippingAddressId ?? '');
    if (!address) return [404, error('ADDRESS_NOT_FOUND', 'no such address among yours')];
    return [200, { customerId: id, email: customer.email, firstName: 'Ada', lastName: 'Lovelace', shippingAddress: address }];
  }

  function clearCart(cartId: string): [number, unknown] {
    for (const cart of fake.carts.values()) {
      if (cart.cartId === cartId) {
        cart.items = [];
        cart.version += 1;
        return [200, { cartId, items: [] }];
      }
    }
    return [404, error('CART_NOT_FOUND', 'cart not found')];
  }

  function reserve(body: { orderId: string; lines: Array<{ variantId: string; quantity: number }> }): [number, unknown] {
    if (fake.reservations.has(body.orderId)) return [200, { orderId: body.orderId }];
    const items = body.lines
      .map((line) => ({ variantId: line.variantId, requested: line.quantity, available: fake.stock.get(line.variantId) ?? 0 }))
      .filter((item) => item.available < item.requested);
    if (items.length > 0) return [409, error('INSUFFICIENT_STOCK', 'not enough stock', { items })];
    for (const line of body.lines) fake.stock.set(line.variantId, (fake.stock.get(line.variantId) ?? 0) - line.quantity);
    fake.reservations.set(body.orderId, { lines: body.lines, status: 'reserved' });
    return [201, { orderId: body.orderId }];
  }

  function commit(orderId: string): [number, unknown] {
    const reservation = fake.reservations.get(orderId);
    if (!reservation) return [404, error('NOT_FOUND', 'no reservation')];
    if (reservation.status === 'released') return [409, error('RESERVATION_EXPIRED', 'the hold ran out')];
    reservation.status = 'committed';
    return [200, { orderId }];
  }

  function deduct(orderId: string): [number, unknown] {
    const reservation = fake.reservations.get(orderId);
    if (!reservation) return [404, error('NOT_FOUND', 'no reservation')];
    if (reservation.status === 'released') return [409, error('CONFLICT', 'the stock was released')];
    reservation.status = 'deducted';
    return [200, { orderId }];
  }

  function release(orderId: string): [number, unknown] {
    const reservation = fake.reservations.get(orderId);
    if (!reservation) return [404, error('NOT_FOUND', 'no reservation')];
    if (reservation.status === 'deducted') return [409, error('CONFLICT', 'the stock was deducted')];
    if (reservation.status !== 'released') {
      for (const line of reservation.lines) fake.stock.set(line.variantId, (fake.stock.get(line.variantId) ?? 0) + line.quantity);
      reservation.status = 'released';
    }
    return [200, { orderId }];
  }

  function authorize(body: { orderId: string; amount: unknown; card?: { cardNumber: string }; method?: string }): [number, unknown] {
    if (body.method === 'paypal') {
      fake.payments.set(body.orderId, { status: 'authorized', amount: body.amount });
      return [201, { paymentId: randomUUID(), orderId: body.orderId, method: 'paypal', status: 'awaiting_approval' }];
    }
    const reason = DECLINES[body.card!.cardNumber];
    if (reason) {
      fake.payments.set(body.orderId, { status: 'failed', amount: body.amount });
      return [402, error('PAYMENT_FAILED', 'the payment failed', { reason, orderId: body.orderId })];
    }
    const payment = fake.payments.get(body.orderId);
    if (payment?.status === 'voided') return [409, error('CONFLICT', 'voided')];
    fake.payments.set(body.orderId, { status: 'authorized', amount: body.amount });
    return [201, { paymentId: randomUUID(), orderId: body.orderId, method: 'card', status: 'authorized', brand: 'visa', last4: body.card!.cardNumber.slice(-4) }];
  }

  function voidPayment(orderId: string): [number, unknown] {
    const payment = fake.payments.get(orderId);
    fake.payments.set(orderId, { ...payment, status: 'voided' });
    return [200, { orderId, status: 'voided' }];
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const answer = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      const matched = handle(req.method ?? '', (req.url ?? '').split('?')[0]!, raw ? JSON.parse(raw) : {});
      if (!matched) return answer(404, error('NOT_FOUND', `no fake route ${req.method} ${req.url}`));
      const [route, id, run] = matched;
      fake.calls.push(`${route} ${id}`);
      if (fake.hanging.has(route)) return;
      const failure = fake.failing.get(route);
      setTimeout(() => {
        if (failure) return answer(failure, error('SERVICE_UNAVAILABLE', 'the fake fails'));
        const [status, payload] = run();
        answer(status, payload);
      }, fake.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
