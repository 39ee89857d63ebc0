import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '@shop/testkit';
import { ADMIN, sharedShop, type Shop } from './shop.fixture';

describe('end to end: a customer from sign-up to suspension, through the gateway', function () {
  this.timeout(60_000);
  let shop: Shop;
  before(async () => {
    shop = await sharedShop();
  });

  it('register -> verification mail -> verify -> login -> profile -> suspended -> old token refused at once -> login ACCOUNT_SUSPENDED', async () => {
    const email = `journey-${randomUUID().slice(0, 8)}@example.com`;
    const password = 'journey-pass-1';

    const registered = await shop.api.post('/customers', { email, password, firstName: 'Grace', lastName: 'Hopper' });
    expect(registered.status).to.equal(201);
    expect(registered.body.status).to.equal('unverified');
    expect(registered.headers.get('x-correlation-id')).to.be.a('string');

    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === email), 15_000);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token, 'the mail carries the verification link').to.be.a('string');
    expect(mail.html).to.contain(token as string);

    const verified = await shop.api.post('/customers/verify', { token });
    expect(verified.body).to.deep.equal({ status: 'verified' });

    const login = await shop.api.post('/auth/login', { email, password });
    expect(login.status).to.equal(200);
    const { accessToken } = login.body;

    const profile = await shop.api.get('/customers/me', { token: accessToken });
    expect(profile.status).to.equal(200);
    expect(profile.body).to.include({ email, status: 'verified', firstName: 'Grace' });

    const adminToken = (await shop.api.post('/auth/login', ADMIN)).body.accessToken;
    const suspended = await shop.api.post(`/admin/customers/${registered.body.customerId}/suspend`, { reason: 'testing' }, { token: adminToken });
    expect(suspended.status).to.equal(200);
    expect(suspended.body.status).to.equal('suspended');

    const refused = await shop.api.get('/customers/me', { token: accessToken });
    expect(refused.status, 'refused on the very next request').to.be.oneOf([401, 403]);
    // Once the gateway has the sessions-invalidated event it refuses the token itself (the service would say 403).
    await eventually(async () => (await shop.api.get('/customers/me', { token: accessToken })).body?.error?.code === 'UNAUTHORIZED', 5_000, 'gateway refusal');

    const again = await shop.api.post('/auth/login', { email, password });
    expect(again.status).to.equal(403);
    expect(again.body.error.code).to.equal('ACCOUNT_SUSPENDED');
  });

  it('when a route is unknown, then the gateway answers 404 NOT_FOUND in the error shape', async () => {
    const response = await shop.api.get('/no-such-thing');
    expect(response.status).to.equal(404);
    expect(response.body.error.code).to.equal('NOT_FOUND');
  });

  it('when a customer token calls an admin route, then the gateway answers 403 FORBIDDEN', async () => {
    const email = `plain-${randomUUID().slice(0, 8)}@example.com`;
    await shop.api.post('/customers', { email, password: 'plain-pass-1', firstName: 'A', lastName: 'B' });
    const { accessToken } = (await shop.api.post('/auth/login', { email, password: 'plain-pass-1' })).body;
    const response = await shop.api.get('/admin/customers', { token: accessToken });
    expect(response.status).to.equal(403);
    expect(response.body.error.code).to.equal('FORBIDDEN');
  });

  it('when the e-mail changes, then a verification mail goes to the new address', async () => {
    const email = `mover-${randomUUID().slice(0, 8)}@example.com`;
    const newEmail = `moved-${randomUUID().slice(0, 8)}@example.com`;
    await shop.api.post('/customers', { email, password: 'mover-pass-1', firstName: 'M', lastName: 'V' });
    const { accessToken } = (await shop.api.post('/auth/login', { email, password: 'mover-pass-1' })).body;
    const changed = await shop.api.put('/customers/me/email', { newEmail, password: 'mover-pass-1' }, { token: accessToken });
    expect(changed.status).to.equal(200);
    const mail = await shop.mail.waitForMail((m) => m.to.some((to) => to.address === newEmail), 15_000);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect((await shop.api.post('/customers/verify', { token })).body).to.deep.equal({ status: 'verified' });
  });
});
