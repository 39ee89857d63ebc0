import { expect } from 'chai';
import { startCartFixture, type CartFixture } from './cart.fixture';

describe('cart service: a first look', function () {
  this.timeout(30_000);
  let f: CartFixture;
  before(async () => {
    f = await startCartFixture();
  });
  after(() => f.stop());

  it('when a customer adds a product, then 201 with the cart priced from the read model', async () => {
    const product = await f.product({ price: 1200 });
    const { token } = await f.customer();
    const response = await f.api.post('/cart/items', { productId: product.productId, quantity: 2 }, { token });
    expect(response.status).to.equal(201);
    expect(response.body.items).to.have.length(1);
    expect(response.body.items[0]).to.include({ productName: product.name, quantity: 2, available: true });
    expect(response.body.items[0].subtotal).to.deep.equal({ amount: 2400, currency: 'USD' });
    expect(response.body).to.include({ itemCount: 2 });
    expect((await f.api.get('/cart', { token })).body.items).to.have.length(1);
    expect((await f.events('cart.item-added')).some((e) => e.productId === product.productId)).to.equal(true);
  });
});
