import { verificationLinkOf } from '@shop/testkit';
import { expect } from 'chai';
import { PASSWORD, sessionIdOf, startCustomerFixture, uniqueEmail, type CustomerFixture } from './customer.fixture';

const address = { recipientName: 'Ada Lovelace', street: '12 Analytical Way', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };

describe('customer service: profile, e-mail, password and addresses', function () {
  this.timeout(30_000);
  let f: CustomerFixture;
  before(async () => {
    f = await startCustomerFixture();
  });
  after(() => f.stop());

  describe('GET /customers/me', () => {
    it('when signed in, then 200 with the profile and its version', async () => {
      const { accessToken, email, customerId } = await f.signedInCustomer();
      const response = await f.api.get('/customers/me', { token: accessToken });
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ id: customerId, email, status: 'verified', firstName: 'Ada' });
      expect(response.body.version).to.be.a('number');
    });

    it('when there is no token, then 401 UNAUTHORIZED', async () => {
      const response = await f.api.get('/customers/me');
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('UNAUTHORIZED');
    });
  });

  describe('PATCH /customers/me', () => {
    it('when names change, then 200 with the new names, a higher version and customer.profile-updated', async () => {
      const { accessToken, customerId } = await f.signedInCustomer();
      const before = (await f.api.get('/customers/me', { token: accessToken })).body;
      const response = await f.api.patch('/customers/me', { firstName: 'Augusta', expectedVersion: before.version }, { token: accessToken });
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ firstName: 'Augusta', lastName: 'Lovelace', version: before.version + 1 });
      const events = (await f.events('customer.profile-updated')).filter((e) => e.data.customerId === customerId);
      expect(events.map((e) => e.data.firstName)).to.deep.equal(['Augusta']);
    });

    it('when expectedVersion is stale, then 409 CONFLICT and nothing changes', async () => {
      const { accessToken } = await f.signedInCustomer();
      const { version } = (await f.api.get('/customers/me', { token: accessToken })).body;
      await f.api.patch('/customers/me', { firstName: 'First' }, { token: accessToken });
      const response = await f.api.patch('/customers/me', { firstName: 'Second', expectedVersion: version }, { token: accessToken });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CONFLICT');
      expect((await f.api.get('/customers/me', { token: accessToken })).body.firstName).to.equal('First');
    });

    it('when two updates with the same version race, then one wins and the other gets 409 CONFLICT', async () => {
      const { accessToken } = await f.signedInCustomer();
      const { version } = (await f.api.get('/customers/me', { token: accessToken })).body;
      const responses = await Promise.all(
        ['One', 'Two', 'Three'].map((firstName) => f.api.patch('/customers/me', { firstName, expectedVersion: version }, { token: accessToken })),
      );
      expect(responses.map((r) => r.status).sort()).to.deep.equal([200, 409, 409]);
      const winner = responses.find((r) => r.status === 200)?.body.firstName;
      expect((await f.api.get('/customers/me', { token: accessToken })).body).to.include({ firstName: winner, version: version + 1 });
    });

    it('when 10 updates without expectedVersion race, then all answer 200 (the last write wins), the final name is one of them and the version grew by 10', async () => {
      const { accessToken, customerId } = await f.signedInCustomer();
      const { version } = (await f.api.get('/customers/me', { token: accessToken })).body;
      const names = Array.from({ length: 10 }, (_, i) => `Name${i}`);

      const responses = await Promise.all(names.map((firstName) => f.api.patch('/customers/me', { firstName }, { token: accessToken })));

      expect(responses.map((r) => r.status)).to.deep.equal(names.map(() => 200));
      const after = (await f.api.get('/customers/me', { token: accessToken })).body;
      expect(names).to.include(after.firstName);
      expect(after.version).to.equal(version + 10);
      const events = (await f.events('customer.profile-updated')).filter((e) => e.data.customerId === customerId);
      expect(events.map((e) => e.data.firstName)).to.have.members(names);
      expect(events.at(-1)?.data.firstName, 'the last event carries the final name').to.equal(after.firstName);
    });

    it('when the account is suspended, then 403 ACCOUNT_SUSPENDED', async () => {
      const { accessToken, customerId } = await f.signedInCustomer();
      await f.api.post(`/admin/customers/${customerId}/suspend`, { reason: 'abuse' }, { token: await f.adminToken() });
      const response = await f.api.patch('/customers/me', { firstName: 'Nope' }, { token: accessToken });
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('ACCOUNT_SUSPENDED');
    });

    it('when no name is given or a name is blank, then 400 VALIDATION_ERROR', async () => {
      const { accessToken } = await f.signedInCustomer();
      expect((await f.api.patch('/customers/me', { expectedVersion: 1 }, { token: accessToken })).body.error.code).to.equal('VALIDATION_ERROR');
      expect((await f.api.patch('/customers/me', { firstName: '   ' }, { token: accessToken })).body.error.code).to.equal('VALIDATION_ERROR');
    });
  });

  describe('PUT /customers/me/email', () => {
    it('when the new e-mail is free and the password right, then the status is unverified again and a new link is sent', async () => {
      const { accessToken, customerId, email } = await f.signedInCustomer();
      const newEmail = uniqueEmail('moved');
      const response = await f.api.put('/customers/me/email', { newEmail, password: PASSWORD }, { token: accessToken });
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ email: newEmail, status: 'unverified' });
      const [event] = (await f.events('customer.email-changed')).filter((e) => e.data.customerId === customerId);
      expect(event?.data).to.include({ oldEmail: email, newEmail });
      expect((await f.api.post('/customers/verify', { token: verificationLinkOf(event?.data).token })).body).to.deep.equal({ status: 'verified' });
      expect((await f.api.post('/auth/login', { email: newEmail, password: PASSWORD })).status).to.equal(200);
    });

    it('when the new e-mail belongs to someone else, then 409 EMAIL_EXISTS', async () => {
      const { accessToken } = await f.signedInCustomer();
      const other = await f.register();
      const response = await f.api.put('/customers/me/email', { newEmail: other.email, password: PASSWORD }, { token: accessToken });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('EMAIL_EXISTS');
    });

    it('when the password is wrong, then 401 INVALID_CREDENTIALS; when the e-mail is malformed, then 400 INVALID_EMAIL', async () => {
      const { accessToken } = await f.signedInCustomer();
      expect((await f.api.put('/customers/me/email', { newEmail: uniqueEmail(), password: 'wrong-pass-1' }, { token: accessToken })).body.error.code).to.equal('INVALID_CREDENTIALS');
      expect((await f.api.put('/customers/me/email', { newEmail: 'nope', password: PASSWORD }, { token: accessToken })).body.error.code).to.equal('INVALID_EMAIL');
    });
  });

  describe('PUT /customers/me/password', () => {
    it('when the current password is right and the new one valid, then 204, the new one logs in, every other session ends and sessions-invalidated names them', async () => {
      const { accessToken, refreshToken, email, customerId } = await f.signedInCustomer();
      const others = [await f.login(email), await f.login(email)];

      const response = await f.api.put('/customers/me/password', { currentPassword: PASSWORD, newPassword: 'brand-new-pass-2' }, { token: accessToken });

      expect(response.status).to.equal(204);
      const events = (await f.events('customer.sessions-invalidated')).filter((e) => e.data.customerId === customerId);
      expect(events).to.have.length(1);
      expect(events[0]?.data).to.include({ customerId, reason: 'password changed' });
      expect(Date.parse(events[0]?.data.notBefore)).to.be.closeTo(Date.now(), 10_000);
      expect(events[0]?.data.sessionIds).to.have.members(others.map((o) => sessionIdOf(o.accessToken)));
      for (const other of others) {
        expect((await f.api.get('/customers/me', { token: other.accessToken })).status, 'other session: access token').to.equal(401);
        expect((await f.api.post('/auth/refresh', { refreshToken: other.refreshToken })).status, 'other session: refresh token').to.equal(401);
      }
      expect((await f.api.get('/customers/me', { token: accessToken })).status, 'this session goes on').to.equal(200);
      expect((await f.api.post('/auth/refresh', { refreshToken })).status, 'and can be refreshed').to.equal(200);
      expect((await f.api.post('/auth/login', { email, password: 'brand-new-pass-2' })).status).to.equal(200);
      expect((await f.api.post('/auth/login', { email, password: PASSWORD })).status).to.equal(401);
    });

    it('when the customer has no other session, then no sessions-invalidated is published and this session goes on', async () => {
      const { accessToken, customerId } = await f.signedInCustomer();

      const response = await f.api.put('/customers/me/password', { currentPassword: PASSWORD, newPassword: 'brand-new-pass-2' }, { token: accessToken });

      expect(response.status).to.equal(204);
      expect((await f.events('customer.password-changed')).filter((e) => e.data.customerId === customerId)).to.have.length(1);
      expect((await f.events('customer.sessions-invalidated')).filter((e) => e.data.customerId === customerId)).to.have.length(0);
      expect((await f.api.get('/customers/me', { token: accessToken })).status).to.equal(200);
    });

    it('when the new password breaks the rules, then 400 PASSWORD_INVALID', async () => {
      const { accessToken } = await f.signedInCustomer();
      const response = await f.api.put('/customers/me/password', { currentPassword: PASSWORD, newPassword: 'short' }, { token: accessToken });
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('PASSWORD_INVALID');
    });

    it('when the current password is wrong, then 401 INVALID_CREDENTIALS', async () => {
      const { accessToken } = await f.signedInCustomer();
      const response = await f.api.put('/customers/me/password', { currentPassword: 'not-it-123', newPassword: 'brand-new-pass-2' }, { token: accessToken });
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('INVALID_CREDENTIALS');
    });
  });

  describe('addresses', () => {
    it('when a domestic address is added, then 201 with it, it is listed and customer.shipping-address-added is emitted', async () => {
      const { accessToken, customerId } = await f.signedInCustomer();
      const created = await f.api.post('/customers/me/addresses', address, { token: accessToken });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ ...address });
      const list = await f.api.get('/customers/me/addresses', { token: accessToken });
      expect(list.body.items.map((a: { id: string }) => a.id)).to.deep.equal([created.body.id]);
      const events = (await f.events('customer.shipping-address-added')).filter((e) => e.data.customerId === customerId);
      expect(events[0]?.data.addressId).to.equal(created.body.id);
    });

    it('when the country is not the shop country, then 422 COUNTRY_NOT_SUPPORTED', async () => {
      const { accessToken } = await f.signedInCustomer();
      const response = await f.api.post('/customers/me/addresses', { ...address, country: 'FR', postalCode: '75001' }, { token: accessToken });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('COUNTRY_NOT_SUPPORTED');
    });

    it('when the postal code is not valid for the country, then 422 INVALID_POSTAL_CODE', async () => {
      const { accessToken } = await f.signedInCustomer();
      const response = await f.api.post('/customers/me/addresses', { ...address, postalCode: '1234' }, { token: accessToken });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('INVALID_POSTAL_CODE');
    });

    it('when a field is missing, then 400 VALIDATION_ERROR and nothing is saved', async () => {
      const { accessToken } = await f.signedInCustomer();
      const { street: _street, ...withoutStreet } = address;
      expect((await f.api.post('/customers/me/addresses', withoutStreet, { token: accessToken })).status).to.equal(400);
      expect((await f.api.get('/customers/me/addresses', { token: accessToken })).body.items).to.have.length(0);
    });

    it('when the customer has 20 addresses, then the 21st is 409 ADDRESS_LIMIT_REACHED with the limit and is not saved', async () => {
      const { accessToken, customerId } = await f.signedInCustomer();
      for (let i = 0; i < 20; i += 1) {
        expect((await f.api.post('/customers/me/addresses', { ...address, street: `${i} Main St` }, { token: accessToken })).status, `address ${i + 1}`).to.equal(201);
      }

      const response = await f.api.post('/customers/me/addresses', { ...address, street: '21 Main St' }, { token: accessToken });

      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('ADDRESS_LIMIT_REACHED');
      expect(response.body.error.details.limit).to.equal(20);
      const list = (await f.api.get('/customers/me/addresses', { token: accessToken })).body.items;
      expect(list).to.have.length(20);
      expect(list.map((a: { street: string }) => a.street)).to.not.include('21 Main St');
      expect((await f.events('customer.shipping-address-added')).filter((e) => e.data.customerId === customerId)).to.have.length(20);
    });

    it('when 25 addresses are added at once, then exactly 20 are saved and the other 5 get 409 ADDRESS_LIMIT_REACHED', async () => {
      const { accessToken } = await f.signedInCustomer();

      const responses = await Promise.all(
        Array.from({ length: 25 }, (_, i) => f.api.post('/customers/me/addresses', { ...address, street: `${i} Main St` }, { token: accessToken })),
      );

      expect(responses.filter((r) => r.status === 201)).to.have.length(20);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused.map((r) => r.status)).to.deep.equal([409, 409, 409, 409, 409]);
      expect(refused.map((r) => r.body.error.code)).to.deep.equal(Array(5).fill('ADDRESS_LIMIT_REACHED'));
      expect((await f.api.get('/customers/me/addresses', { token: accessToken })).body.items).to.have.length(20);
    });

    it("when another customer lists addresses, then they do not see this customer's", async () => {
      const owner = await f.signedInCustomer();
      await f.api.post('/customers/me/addresses', address, { token: owner.accessToken });
      const other = await f.signedInCustomer();
      expect((await f.api.get('/customers/me/addresses', { token: other.accessToken })).body.items).to.have.length(0);
    });
  });
});
