import { expect } from 'chai';
import { startTokenIssuer } from '@shop/testkit';
import { startCartFixture, type CartFixture } from './cart.fixture';

describe('cart routes without a cart owner', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  /** Every cart route, with a body that would be valid for a real owner. */
  function cartRoutes(productId: string, itemId: string): Array<[string, string, unknown]> {
    return [
      ['GET', '/cart', undefined],
      ['DELETE', '/cart', undefined],
      ['POST', '/cart/items', { productId, quantity: 1 }],
      ['PATCH', `/cart/items/${itemId}`, { quantity: 2 }],
      ['DELETE', `/cart/items/${itemId}`, undefined],
      ['POST', `/cart/items/${itemId}/restore`, undefined],
      ['POST', '/cart/merge', { cartToken: 'whatever' }],
    ];
  }

  /** A customer's cart with one line, to show a refused call changed nothing. */
  async function customerWithLine() {
    const product = await f.product();
    const { customerId, token } = await f.customer();
    const added = await f.api.post('/cart/items', { productId: product.productId, quantity: 1 }, { token });
    return { customerId, token, product, cart: added.body, itemId: added.body.items[0].itemId as string };
  }

  it('when neither a bearer token nor an X-Cart-Token is sent, then 401 UNAUTHORIZED on every cart route', async () => {
    const { product, itemId } = await customerWithLine();

    for (const [method, path, body] of cartRoutes(product.productId, itemId)) {
      const response = await f.api.call(method, path, { body });
      expect([method, path, response.status, response.body?.error?.code]).to.deep.equal([method, path, 401, 'UNAUTHORIZED']);
    }
  });

  it('when the X-Cart-Token names no cart, then 401 UNAUTHORIZED on every cart route', async () => {
    const { product, itemId } = await customerWithLine();
    const headers = { 'x-cart-token': 'not-a-cart-token' };

    for (const [method, path, body] of cartRoutes(product.productId, itemId)) {
      const response = await f.api.call(method, path, { body, headers });
      expect([method, path, response.status, response.body?.error?.code]).to.deep.equal([method, path, 401, 'UNAUTHORIZED']);
    }
  });

  it("when the bearer token is not one the customer service signed, then 401 UNAUTHORIZED on every cart route and the customer's cart unchanged", async () => {
    const { customerId, token, product, cart, itemId } = await customerWithLine();
    const forger = await startTokenIssuer();
    try {
      const forged = await forger.token({ customerId });
      for (const [method, path, body] of cartRoutes(product.productId, itemId)) {
        const response = await f.api.call(method, path, { body, token: forged });
        expect([method, path, response.status, response.body?.error?.code]).to.deep.equal([method, path, 401, 'UNAUTHORIZED']);
      }
    } finally {
      await forger.close();
    }
    expect((await f.api.get('/cart', { token })).body).to.deep.equal(cart);
  });

  it('when the bearer token is garbage or the scheme is not Bearer, then 401 even with a valid X-Cart-Token (no fall back to the guest cart)', async () => {
    const guest = await f.guest();

    const garbage = await f.api.get('/cart', { headers: { ...guest.headers, authorization: 'Bearer not.a.jwt' } });
    const basic = await f.api.get('/cart', { headers: { ...guest.headers, authorization: 'Basic dXNlcjpwYXNz' } });

    expect([garbage.status, garbage.body.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
    expect([basic.status, basic.body.error.code]).to.deep.equal([401, 'UNAUTHORIZED']);
    expect((await f.api.get('/cart', { headers: guest.headers })).status).to.equal(200);
  });
});
