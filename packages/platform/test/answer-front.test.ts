import { request, type IncomingMessage } from 'node:http';
import { expect } from 'chai';
import Joi from 'joi';
import { AppError, cachedRoute, createAnswerCache, createLogger, startHttp, type RunningHttp } from '../src';

/** A GET that carries a body (fetch refuses to send one). */
function getWithBody(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const logger = createLogger('answer-front-test');
logger.silent = true;

describe('platform: public answers from memory, in front of the app', () => {
  let http: RunningHttp;
  // Every request that reaches Express's routes passes this counter; one answered in front does not.
  let reachedApp = 0;
  let reads = 0;
  const clock = { now: 1_000 };
  const answers = createAnswerCache({ maxEntries: 100, maxBytes: 1_000_000, maxStalenessMs: 900, now: () => clock.now });
  // The owners the private route can tell without its middleware (tokens verified before, in the shop).
  const knownOwners = new Set(['ann']);
  const ownerOf = (req: IncomingMessage) => req.headers['x-owner'] as string | undefined;

  before(async () => {
    http = await startHttp({
      name: 'answer-front-test',
      logger,
      host: '127.0.0.1',
      port: 0,
      opsPort: 0,
      routes: (router) => {
        router.use((_req, _res, next) => {
          reachedApp += 1;
          next();
        });
        router.get(
          '/lamps/:id',
          cachedRoute(
            () => answers,
            { params: Joi.object({ id: Joi.string().pattern(/^\d+$/).required() }), response: Joi.object(), doc: { summary: 'a lamp' }, key: ({ params }) => `lamp ${params.id}` },
            async ({ params }) => ({ id: params.id, reads: ++reads }),
          ),
        );
        // A private route: whose desk it is comes from a header its middleware checks (a token, in the shop).
        router.get(
          '/desk',
          (req, res, next) => {
            if (!ownerOf(req)) throw new AppError('UNAUTHORIZED', 'whose desk?');
            res.locals.owner = ownerOf(req);
            next();
          },
          cachedRoute(
            () => answers,
            {
              response: Joi.object(),
              doc: { summary: "one person's desk" },
              audience: 'private',
              key: ({ res }) => `desk ${String(res.locals.owner)}`,
              frontKey: (req) => (knownOwners.has(ownerOf(req) ?? '') ? `desk ${ownerOf(req)}` : undefined),
            },
            async ({ res }) => ({ owner: res.locals.owner, reads: ++reads }),
          ),
        );
      },
    });
    http.open();
  });
  after(async () => {
    await http.drain(1_000);
    await http.closeOps();
  });
  beforeEach(() => answers.confirmed(clock.now));

  it('when a valid spelling was answered once, then the next GET of it gets the same answer without passing through the app: ETag, 304, Cache-Control, security headers, correlation id, request metric', async () => {
    const first = await fetch(`${http.url}/lamps/1`);
    expect(first.status).to.equal(200);
    const before = reachedApp;

    const again = await fetch(`${http.url}/lamps/1`, { headers: { 'x-correlation-id': 'lamp-check' } });
    expect(reachedApp).to.equal(before);
    expect(await again.json()).to.deep.equal({ id: '1', reads: 1 });
    expect(again.headers.get('etag')).to.equal(first.headers.get('etag'));
    expect(again.headers.get('cache-control')).to.equal('public, no-cache');
    expect(again.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(again.headers.get('x-correlation-id')).to.equal('lamp-check');

    const revalidated = await fetch(`${http.url}/lamps/1`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(revalidated.status).to.equal(304);
    expect(reachedApp).to.equal(before);
    const counted = await http.metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
    expect(counted).to.contain('http_request_duration_seconds_count{service="answer-front-test",method="GET",route="/lamps/:id",status="304"} 1');
    expect(counted).to.contain('http_request_duration_seconds_count{service="answer-front-test",method="GET",route="/lamps/:id",status="200"} 2');
  });

  it('when the answer is no longer fresh, a spelling was never valid, or the request is not a plain GET, then the app answers it', async () => {
    await fetch(`${http.url}/lamps/2`);
    clock.now += 1_000;
    let before = reachedApp;
    expect(await (await fetch(`${http.url}/lamps/2`)).json()).to.deep.equal({ id: '2', reads: 3 });
    expect(reachedApp).to.equal(before + 1);

    before = reachedApp;
    expect((await fetch(`${http.url}/lamps/x`)).status).to.equal(400);
    expect((await fetch(`${http.url}/lamps/x`)).status).to.equal(400);
    expect(reachedApp).to.equal(before + 2);

    before = reachedApp;
    await fetch(`${http.url}/lamps/2`, { method: 'HEAD' });
    await getWithBody(`${http.url}/lamps/2`, '{}');
    expect(reachedApp).to.equal(before + 2);
  });

  it("when a private route can tell a request's key without its middleware, then its kept answer is sent in front of the app, private; else the app answers (and refuses)", async () => {
    const first = await fetch(`${http.url}/desk`, { headers: { 'x-owner': 'ann' } });
    expect(first.status).to.equal(200);
    const firstBody = await first.json();
    await fetch(`${http.url}/desk`, { headers: { 'x-owner': 'bob' } });
    let before = reachedApp;

    const again = await fetch(`${http.url}/desk`, { headers: { 'x-owner': 'ann' } });
    expect(reachedApp).to.equal(before);
    expect(await again.json()).to.deep.equal(firstBody);
    expect(again.headers.get('cache-control')).to.equal('private, no-cache');
    expect(again.headers.get('etag')).to.equal(first.headers.get('etag'));

    before = reachedApp;
    const bob = await fetch(`${http.url}/desk`, { headers: { 'x-owner': 'bob' } });
    expect(((await bob.json()) as { owner: string }).owner).to.equal('bob');
    expect((await fetch(`${http.url}/desk`)).status).to.equal(401);
    expect(reachedApp).to.equal(before + 2);
  });
});
