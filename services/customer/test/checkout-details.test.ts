import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startCustomerFixture, type CustomerFixture } from './customer.fixture';

describe('customer service: POST /internal/customers/:customerId/checkout', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
  });
  after(() => f.stop());

  const home = { recipientName: 'Ada Lovelace', street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
  const checkout = (customerId: string, body: unknown) => f.api.post(`/internal/customers/${customerId}/checkout`, body);

  async function customerWithAddress() {
    const customer = await f.signedInCustomer();
    const saved = await f.api.post('/customers/me/addresses', home, { token: customer.accessToken });
    expect(saved.status).to.equal(201);
    return { ...customer, addressId: saved.body.id as string };
  }

  it('when a verified customer names one of their addresses, then 200 with their e-mail, name and that address', async () => {
    const { customerId, email, addressId } = await customerWithAddress();

    const response = await checkout(customerId, { shippingAddressId: addressId });

    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ customerId, email, firstName: 'Ada', lastName: 'Lovelace', shippingAddress: home });
  });

  it('when the address is given inline, then it comes back normalized; a foreign one too (the order service judges the country)', async () => {
    const { customerId } = await f.signedInCustomer();

    const domestic = await checkout(customerId, { shippingAddress: { ...home, country: 'us' } });
    const foreign = await checkout(customerId, { shippingAddress: { ...home, postalCode: '75001', country: 'FR' } });

    expect(domestic.status, JSON.stringify(domestic.body)).to.equal(200);
    expect(domestic.body.shippingAddress).to.deep.equal(home);
    expect(foreign.status).to.equal(200);
    expect(foreign.body.shippingAddress.country).to.equal('FR');
  });

  it("when the address is someone else's or unknown, then 404 ADDRESS_NOT_FOUND", async () => {
    const { addressId } = await customerWithAddress();
    const { customerId } = await f.signedInCustomer();

    expect((await checkout(customerId, { shippingAddressId: addressId })).body.error.code).to.equal('ADDRESS_NOT_FOUND');
    const unknown = await checkout(customerId, { shippingAddressId: randomUUID() });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('ADDRESS_NOT_FOUND');
  });

  it('when the inline postal code does not fit its country, then 422 INVALID_POSTAL_CODE', async () => {
    const { customerId } = await f.signedInCustomer();
    const response = await checkout(customerId, { shippingAddress: { ...home, postalCode: 'ABC' } });
    expect(response.status).to.equal(422);
    expect(response.body.error.code).to.equal('INVALID_POSTAL_CODE');
  });

  it('when the customer has not verified their e-mail, then 403 EMAIL_NOT_VERIFIED', async () => {
    const { customerId } = await f.register();
    const response = await checkout(customerId, { shippingAddress: home });
    expect(response.status).to.equal(403);
    expect(response.body.error.code).to.equal('EMAIL_NOT_VERIFIED');
  });

  it('when the customer is suspended, then 403 ACCOUNT_SUSPENDED', async () => {
    const { customerId } = await f.signedInCustomer();
    expect((await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'fraud' }, { token: await f.adminToken() })).status).to.equal(200);

    const response = await checkout(customerId, { shippingAddress: home });

    expect(response.status).to.equal(403);
    expect(response.body.error.code).to.equal('ACCOUNT_SUSPENDED');
  });

  it('when the customer does not exist, then 404 CUSTOMER_NOT_FOUND', async () => {
    const response = await checkout(randomUUID(), { shippingAddress: home });
    expect(response.status).to.equal(404);
    expect(response.body.error.code).to.equal('CUSTOMER_NOT_FOUND');
  });

  it('when both or neither of the address fields are given, or the address lacks a field, then 400 VALIDATION_ERROR', async () => {
    const { customerId, addressId } = await customerWithAddress();
    for (const body of [{}, { shippingAddressId: addressId, shippingAddress: home }, { shippingAddress: { ...home, city: undefined } }, { shippingAddressId: 'nope' }]) {
      const response = await checkout(customerId, body);
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.body.error.code).to.equal('VALIDATION_ERROR');
    }
  });
});
