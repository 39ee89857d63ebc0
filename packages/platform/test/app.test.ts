import { expect } from 'chai';
import Joi from 'joi';
import { AppError, createApp, createLogger, listen, route, type RunningServer } from '../src';

describe('platform: the app factory', () => {
  let server: RunningServer;
  let ready = true;
  before(async () => {
    const logger = createLogger('app-test');
    logger.silent = true;
    const app = createApp({
      name: 'app-test',
      logger,
      readiness: {
        database: async () => {
          if (!ready) throw new Error('down');
        },
      },
      routes: (router) => {
        router.get('/boom', () => {
          throw new Error('secret detail at /srv/app.js:12');
        });
        router.post(
          '/things',
          route({ body: Joi.object({ name: Joi.string().required() }), status: 201 }, async ({ body }) => {
            if (body.name === 'taken') throw new AppError('EMAIL_EXISTS', 'taken');
            return { name: body.name };
          }),
        );
      },
    });
    server = await listen(app, 0);
  });
  after(() => server.close());

  it('when a handler throws an unexpected error, then 500 INTERNAL with nothing internal in the body', async () => {
    const response = await fetch(`${server.url}/boom`);
    const text = await response.text();
    expect(response.status).to.equal(500);
    expect(JSON.parse(text)).to.deep.equal({ error: { code: 'INTERNAL', message: 'internal error', details: {} } });
    expect(text).to.not.contain('secret');
  });

  it('when a use case throws an AppError, then its code maps to its status through the one table', async () => {
    const response = await fetch(`${server.url}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'taken' }) });
    expect(response.status).to.equal(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('EMAIL_EXISTS');
  });

  it('when the body is valid, then the handler answers with the route status and the correlation id is echoed', async () => {
    const response = await fetch(`${server.url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'req-42' },
      body: JSON.stringify({ name: 'lamp' }),
    });
    expect(response.status).to.equal(201);
    expect(response.headers.get('x-correlation-id')).to.equal('req-42');
    expect(response.headers.get('x-content-type-options'), 'helmet headers').to.equal('nosniff');
  });

  it('when a dependency is down, then /health/ready answers 503 naming it while /health/live stays 200', async () => {
    ready = false;
    try {
      const response = await fetch(`${server.url}/health/ready`);
      expect(response.status).to.equal(503);
      expect(await response.json()).to.deep.equal({ status: 'unavailable', checks: { database: 'unavailable' } });
      expect((await fetch(`${server.url}/health/live`)).status).to.equal(200);
    } finally {
      ready = true;
    }
  });
});
