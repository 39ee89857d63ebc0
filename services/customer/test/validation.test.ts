import { expect } from 'chai';
import type { TestResponse } from '@shop/testkit';
import { PASSWORD, startCustomerFixture, uniqueEmail, type CustomerFixture } from './customer.fixture';

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';
const address = { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };

function expectRefused(response: TestResponse, what: string, field: string) {
  expect(response.status, what).to.equal(400);
  expect(response.body.error.code, what).to.equal('VALIDATION_ERROR');
  expect(response.body.error.details.fields.map((x: { field: string }) => x.field), what).to.deep.equal([field]);
}

describe('customer service: text no database or client can handle', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
  });
  after(() => f.stop());

  describe('a NUL character or an unpaired surrogate in a string', () => {
    it('when it is in a name, a login e-mail, an address, a suspension reason or a search, then 400 VALIDATION_ERROR naming the field, never a 5xx, and nothing changes', async () => {
      const admin = await f.adminToken();
      const { customerId, email, accessToken } = await f.signedInCustomer();
      const newcomer = uniqueEmail('newcomer');

      for (const bad of [NUL, LONE_SURROGATE]) {
        const label = JSON.stringify(bad);
        expectRefused(await f.api.post('/customers', { email: newcomer, password: PASSWORD, firstName: `Ada${bad}`, lastName: 'Lovelace' }), `firstName ${label}`, 'firstName');
        expectRefused(await f.api.post('/customers', { email: newcomer, password: PASSWORD, firstName: 'Ada', lastName: `${bad}Lovelace` }), `lastName ${label}`, 'lastName');
        expectRefused(await f.api.post('/auth/login', { email: `${email}${bad}`, password: PASSWORD }), `login e-mail ${label}`, 'email');
        expectRefused(await f.api.post('/customers/me/addresses', { ...address, street: `12 ${bad}Way` }, { token: accessToken }), `street ${label}`, 'street');
        expectRefused(await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: `fraud${bad}` }, { token: admin }), `reason ${label}`, 'reason');
      }
      expectRefused(await f.api.get('/admin/customers?q=ada%00', { token: admin }), 'q with NUL', 'q');
      // A URL carries UTF-8, which has no unpaired surrogates: their bytes arrive as U+FFFD, which is harmless text.
      expect((await f.api.get('/admin/customers?q=%ED%A0%80', { token: admin })).status, 'q with the bytes of a lone surrogate').to.equal(200);

      expect((await f.api.post('/customers', { email: newcomer, password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace' })).status, 'no customer was created').to.equal(201);
      expect((await f.api.get('/customers/me/addresses', { token: accessToken })).body.items, 'no address was saved').to.have.length(0);
      expect((await f.api.get('/customers/me', { token: accessToken })).body.status, 'the customer was not suspended').to.equal('verified');
      expect((await f.events('customer.suspended')).filter((e) => e.data.customerId === customerId)).to.have.length(0);
    });
  });
});
