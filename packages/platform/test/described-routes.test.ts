import { expect } from 'chai';
import Joi from 'joi';
import { describeRoutes, describeSecurity, requireAuth, route } from '../src';

describe('platform: routes described for the API documents', () => {
  const verify = async () => ({ customerId: 'c', role: 'admin' as const, sessionId: 's', issuedAt: 0 });
  const params = Joi.object({ id: Joi.string().uuid().required() });
  const answer = Joi.object({ id: Joi.string().required() });

  it('when a router has route() handlers behind requireAuth, then each route comes with its method, path, spec and roles', () => {
    const described = describeRoutes((router) => {
      router.get('/things/:id', requireAuth(verify, ['admin']), route({ params, response: answer, doc: { summary: 'a thing', errors: ['NOT_FOUND'] } }, async () => ({ id: 'x' })));
      router.post('/things', route({ status: 201, response: answer, doc: { summary: 'make one' } }, async () => ({ id: 'x' })));
    });
    expect(described.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /things/:id', 'POST /things']);
    expect(described[0]?.spec?.params).to.equal(params);
    expect(described[0]?.spec?.response).to.equal(answer);
    expect(described[0]?.spec?.doc?.errors).to.deep.equal(['NOT_FOUND']);
    expect(described[0]?.security).to.deep.equal([{ scheme: 'bearer', roles: ['admin'] }]);
    expect(described[1]?.spec?.status).to.equal(201);
    expect(described[1]?.security).to.deep.equal([]);
  });

  it('when a middleware describes its own check, or a handler checks a signature itself, then those alternatives are the route security', () => {
    const owner = describeSecurity((_req, _res, next) => next(), { scheme: 'bearer' }, { scheme: 'cartToken' });
    const described = describeRoutes((router) => {
      router.get('/cart', owner, route({ response: answer, doc: { summary: 'cart' } }, async () => ({ id: 'x' })));
      router.post('/hook', route({ response: answer, doc: { summary: 'hook', security: [{ scheme: 'signature' }] } }, async () => ({ id: 'x' })));
    });
    expect(described[0]?.security).to.deep.equal([{ scheme: 'bearer' }, { scheme: 'cartToken' }]);
    expect(described[1]?.security).to.deep.equal([{ scheme: 'signature' }]);
  });

  it('when a handler is written without route(), then its route is still listed, without a spec', () => {
    const described = describeRoutes((router) => {
      router.get('/raw', (_req, res) => {
        res.json({});
      });
    });
    expect(described).to.have.length(1);
    expect(described[0]?.spec).to.equal(undefined);
  });
});
