import { loadCartConfig } from '@shop/cart/src/config';
import { startCartService } from '@shop/cart/src/service';
import { loadCatalogConfig } from '@shop/catalog/src/config';
import { startCatalogService } from '@shop/catalog/src/service';
import { loadCustomerConfig } from '@shop/customer/src/config';
import { startCustomerService } from '@shop/customer/src/service';
import { loadGatewayConfig } from '@shop/gateway/src/config';
import { startGateway } from '@shop/gateway/src/gateway';
import { loadInventoryConfig } from '@shop/inventory/src/config';
import { startInventoryService } from '@shop/inventory/src/service';
import { loadNotificationConfig } from '@shop/notification/src/config';
import { startNotificationService } from '@shop/notification/src/service';
import { loadOrderConfig } from '@shop/order/src/config';
import { startOrderService } from '@shop/order/src/service';
import { loadPaymentConfig } from '@shop/payment/src/config';
import { startPaymentService } from '@shop/payment/src/service';
import { loadSandboxConfig } from '@shop/payment-sandbox/src/config';
import { startPaymentSandbox } from '@shop/payment-sandbox/src/sandbox';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type Role } from '@shop/platform';
import { apiConformance } from './api-conformance';
import { atRunEnd, freePort, httpClient, startMailSink, testAmqpUrl, testDatabaseUrl, testLogger, type HttpClient, type MailSink } from '@shop/testkit';

export const ADMIN = { email: 'admin@shop.test', password: 'Admin12345' };
export const PAYMENT_WEBHOOK_SECRET = 'e2e-payment-webhook-secret';
export const CARRIER_WEBHOOK_SECRET = 'e2e-carrier-webhook-secret';
/** Where the storefront is for a browser (mapped to the gateway): PayPal-style approvals return there, mailed links point there. */
export const SHOP_ORIGIN = 'http://shop.test';
/** The built storefront and admin the e2e gateway serves. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** Logins (and registrations) the e2e gateway allows per window and client address. */
export const AUTH_RATE_LIMIT_MAX = 1000;
/** Where the e2e shop sends its staff alerts. */
export const STAFF_ALERTS = 'staff-alerts@shop.test';

export interface Shop {
  api: HttpClient;
  mail: MailSink;
  /** The gateway's origin, for requests the JSON client cannot spell (raw paths, other client addresses). */
  gatewayUrl: string;
  /** Each process's own URL, behind the gateway: what the public API must never reach (`/internal/*`). */
  services: Record<'customer' | 'catalog' | 'inventory' | 'cart' | 'order' | 'payment' | 'notification' | 'paymentSandbox', string>;
  /** Signs an access token with the shop's own key, for tokens it could have issued but did not (an expired one). */
  signAccessToken(claims: { customerId: string; role: Role; sessionId: string; issuedAt: Date; expiresAt: Date }): Promise<string>;
  stop(): Promise<void>;
}

let shared: Promise<Shop> | undefined;

/**
 * The whole shop, started once for every end-to-end test file of this process and stopped when
 * the run ends (the files make their own data, so they can share it).
 */
export function sharedShop(): Promise<Shop> {
  if (!shared) {
    const starting = startShop();
    shared = starting;
    atRunEnd(async () => {
      shared = undefined;
      await (await starting).stop();
    });
  }
  return shared;
}

/** The whole shop in this process, on random ports, with this run's own databases and vhost. */
export async function startShop(): Promise<Shop> {
  const amqp = await testAmqpUrl();
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const mail = await startMailSink({ smtpPort: 0, httpPort: 0 });
  const customer = await startCustomerService(
    loadCustomerConfig({
      DATABASE_URL: testDatabaseUrl('e2e_customer'),
      AMQP_URL: amqp,
      PORT: '0',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REFRESH_RETRY_GRACE_SECONDS: '1',
      // The verification mail's link opens the storefront's /verify page there.
      PUBLIC_BASE_URL: SHOP_ORIGIN,
      JWT_PRIVATE_KEY: signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }),
    testLogger('customer'),
  );
  const jwks = `${customer.url}/auth/jwks`;
  const catalog = await startCatalogService(
    loadCatalogConfig({ DATABASE_URL: testDatabaseUrl('e2e_catalog'), AMQP_URL: amqp, PORT: '0', JWKS_URL: jwks }),
    testLogger('catalog'),
  );
  const inventory = await startInventoryService(
    loadInventoryConfig({ DATABASE_URL: testDatabaseUrl('e2e_inventory'), AMQP_URL: amqp, PORT: '0', JWKS_URL: jwks, CATALOG_SERVICE_URL: catalog.url }),
    testLogger('inventory'),
  );
  const cart = await startCartService(
    loadCartConfig({
      DATABASE_URL: testDatabaseUrl('e2e_cart'),
      AMQP_URL: amqp,
      PORT: '0',
      JWKS_URL: jwks,
      INVENTORY_SERVICE_URL: inventory.url,
      CATALOG_SERVICE_URL: catalog.url,
    }),
    testLogger('cart'),
  );
  // The provider calls the shop back through the gateway, which starts after it: its port is chosen first.
  const gatewayPort = await freePort();
  const sandboxPort = await freePort();
  const sandbox = await startPaymentSandbox(
    loadSandboxConfig({
      DATABASE_URL: testDatabaseUrl('e2e_payment_sandbox'),
      PORT: String(sandboxPort),
      OPS_PORT: '0',
      PUBLIC_URL: `http://127.0.0.1:${sandboxPort}`,
      WEBHOOK_URL: `http://127.0.0.1:${gatewayPort}/api/v1/webhooks/payments`,
      WEBHOOK_SECRET: PAYMENT_WEBHOOK_SECRET,
      WEBHOOK_RETRY_FIRST_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '1000',
    }),
    testLogger('payment-sandbox'),
  );
  const payment = await startPaymentService(
    loadPaymentConfig({
      DATABASE_URL: testDatabaseUrl('e2e_payment'),
      AMQP_URL: amqp,
      PORT: '0',
      PAYMENT_PROVIDER_URL: sandbox.url,
      PAYMENT_WEBHOOK_SECRET,
      JWKS_URL: jwks,
      PAYPAL_RETURN_ORIGINS: SHOP_ORIGIN,
    }),
    testLogger('payment'),
  );
  const order = await startOrderService(
    loadOrderConfig({
      DATABASE_URL: testDatabaseUrl('e2e_order'),
      AMQP_URL: amqp,
      PORT: '0',
      JWKS_URL: jwks,
      CUSTOMER_SERVICE_URL: customer.url,
      CART_SERVICE_URL: cart.url,
      INVENTORY_SERVICE_URL: inventory.url,
      PAYMENT_SERVICE_URL: payment.url,
      CARRIER_WEBHOOK_SECRET,
    }),
    testLogger('order'),
  );
  const notification = await startNotificationService(
    loadNotificationConfig({
      DATABASE_URL: testDatabaseUrl('e2e_notification'),
      AMQP_URL: amqp,
      PORT: '0',
      SMTP_PORT: String(mail.smtpPort),
      JWKS_URL: jwks,
      ALERT_EMAIL: STAFF_ALERTS,
      PUBLIC_BASE_URL: SHOP_ORIGIN,
    }),
    testLogger('notification'),
  );
  const gateway = await startGateway(
    loadGatewayConfig({
      PORT: String(gatewayPort),
      OPS_PORT: '0',
      AMQP_URL: amqp,
      CUSTOMER_SERVICE_URL: customer.url,
      CATALOG_SERVICE_URL: catalog.url,
      INVENTORY_SERVICE_URL: inventory.url,
      CART_SERVICE_URL: cart.url,
      ORDER_SERVICE_URL: order.url,
      PAYMENT_SERVICE_URL: payment.url,
      NOTIFICATION_SERVICE_URL: notification.url,
      AUTH_RATE_LIMIT_MAX: String(AUTH_RATE_LIMIT_MAX),
      RATE_LIMIT_MAX: '10000',
      // The storefront's pages, as `pnpm --filter @shop/web run build` writes them (the browser tests build them when missing).
      WEB_DIR: WEB_DIST,
    }),
    testLogger('gateway'),
  );
  return {
    // Every answer is checked against the OpenAPI document: an undocumented status or body fails the test.
    api: httpClient(`${gateway.url}/api/v1`, { check: apiConformance() }),
    mail,
    gatewayUrl: gateway.url,
    services: {
      customer: customer.url,
      catalog: catalog.url,
      inventory: inventory.url,
      cart: cart.url,
      order: order.url,
      payment: payment.url,
      notification: notification.url,
      paymentSandbox: sandbox.url,
    },
    signAccessToken: (claims) => signAccessToken(signingKey, claims),
    async stop() {
      await gateway.stop();
      await notification.stop();
      await order.stop();
      await payment.stop();
      await sandbox.stop();
      await cart.stop();
      await inventory.stop();
      await catalog.stop();
      await customer.stop();
      await mail.close();
    },
  };
}

/** Signs like the customer service does (its key id is the key's JWK thumbprint), with the times given. */
async function signAccessToken(key: KeyObject, claims: Parameters<Shop['signAccessToken']>[0]): Promise<string> {
  const kid = await calculateJwkThumbprint(await exportJWK(key));
  return new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setSubject(claims.customerId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(Math.floor(claims.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(key);
}
