import { expect } from 'chai';
import { createRouteResolver, routeTable } from '../../src/routes';

describe('gateway', () => {
  describe('route table', () => {
    const resolve = createRouteResolver(routeTable);

    it('when a public path is resolved, then it maps to its service with /api/v1 taken off and the query kept', () => {
      expect(resolve('GET', '/api/v1/customers/me/addresses?x=1')).to.deep.include({ upstreamUrl: '/customers/me/addresses?x=1' });
      expect(resolve('GET', '/api/v1/auth/login')?.route.upstream).to.equal('CUSTOMER_SERVICE_URL');
      expect(resolve('GET', '/api/v1/products/abc')?.route.upstream).to.equal('CATALOG_SERVICE_URL');
      expect(resolve('GET', '/api/v1/admin/inventory/v1/restock')?.route.upstream).to.equal('INVENTORY_SERVICE_URL');
      expect(resolve('GET', '/api/v1/carts/guest')?.route.upstream).to.equal('CART_SERVICE_URL');
      expect(resolve('GET', '/api/v1/cart/items/1')?.route.upstream).to.equal('CART_SERVICE_URL');
      expect(resolve('GET', '/api/v1/webhooks/carriers')?.route.upstream).to.equal('ORDER_SERVICE_URL');
      expect(resolve('GET', '/api/v1/webhooks/payments')?.route.upstream).to.equal('PAYMENT_SERVICE_URL');
      expect(resolve('GET', '/api/v1/admin/notifications/1/retry')?.route.upstream).to.equal('NOTIFICATION_SERVICE_URL');
    });

    it('when a password is hashed or checked, then the route counts against the credentials breaker, and other customer routes do not', () => {
      expect(resolve('POST', '/api/v1/auth/login')?.route.group).to.equal('credentials');
      expect(resolve('POST', '/api/v1/customers')?.route.group).to.equal('credentials');
      expect(resolve('PUT', '/api/v1/customers/me/password')?.route.group).to.equal('credentials');
      expect(resolve('PUT', '/api/v1/customers/me/email')?.route.group).to.equal('credentials');
      expect(resolve('GET', '/api/v1/customers/me')?.route.group).to.equal(undefined);
      expect(resolve('POST', '/api/v1/customers/verify')?.route.group).to.equal(undefined);
      expect(resolve('GET', '/api/v1/auth/jwks')?.route.group).to.equal(undefined);
      expect(resolve('POST', '/api/v1/auth/logout')?.route.endsSession).to.equal(true);
    });

    it('when a path only starts like a prefix, or differs in case, then it does not match', () => {
      for (const path of ['/api/v1/customersX', '/api/v1/cartography', '/API/v1/customers', '/api/v1/Admin/customers', '/api/v1//admin/customers', '/api/v1', '/api/v1/']) {
        expect(resolve('GET', path), path).to.equal(undefined);
      }
    });

    it('when any admin path is resolved, then it needs a role, and shipping alone also admits fulfillment', () => {
      for (const route of routeTable.filter((r) => r.prefix.startsWith('/api/v1/admin/'))) expect(route.roles, route.prefix).to.include('admin');
      expect(resolve('GET', '/api/v1/admin/orders/o-1/ship')?.route.roles).to.deep.equal(['admin', 'fulfillment']);
      expect(resolve('GET', '/api/v1/admin/orders/o-1/shipping')?.route.roles).to.deep.equal(['admin']);
      expect(resolve('GET', '/api/v1/admin/orders/o-1')?.route.roles).to.deep.equal(['admin']);
      expect(resolve('GET', '/api/v1/customers/me')?.route.roles).to.equal(undefined);
    });

    it('when a path holds dot segments or encoded slashes, then it matches nothing', () => {
      for (const path of ['/api/v1/customers/../internal/x', '/api/v1/customers/./me', '/api/v1/customers/%2E%2E/internal', '/api/v1/customers/a%2fb', '/api/v1/customers\\..\\internal']) {
        expect(resolve('GET', path), path).to.equal(undefined);
      }
    });

    it('when a table opens an admin route without roles or exposes /internal, then it is refused', () => {
      expect(() => createRouteResolver([{ prefix: '/api/v1/admin/things', upstream: 'CATALOG_SERVICE_URL' }])).to.throw(/roles/);
      expect(() => createRouteResolver([{ prefix: '/api/v1/internal', upstream: 'CATALOG_SERVICE_URL' }])).to.throw(/internal/);
      expect(() => createRouteResolver([{ prefix: '/things', upstream: 'CATALOG_SERVICE_URL' }])).to.throw(/under/);
    });
  });
});
