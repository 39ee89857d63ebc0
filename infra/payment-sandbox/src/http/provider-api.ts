import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import { ProviderError } from '../errors.js';
import { authorizationRoutes } from './authorization.routes.js';
import type { ApiDeps } from './deps.js';
import { providerErrorHandler, providerNotFound } from './error-handler.js';
import { eventRoutes } from './event.routes.js';
import { requireIdempotencyKey } from './idempotency.js';
import { paypalRoutes } from './paypal.routes.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Every /v1 request names the account's key; compared in the same time however much of it matches. */
function requireApiKey(apiKey: string): RequestHandler {
  const expected = digest(apiKey);
  return (req, _res, next) => {
    const given = req.get('x-api-key');
    if (given === undefined || !timingSafeEqual(digest(given), expected)) throw new ProviderError('unauthorized', 'a valid X-Api-Key header is required');
    next();
  };
}

/**
 * The provider's API under /v1: the key first (nothing of an unauthenticated request is read),
 * then JSON bodies, the Idempotency-Key of every POST, the routes, and its own 404 and error
 * handler, so every answer here has the provider's error shape.
 */
export function providerApi(deps: ApiDeps): Router {
  const api = express.Router();
  api.use(requireApiKey(deps.apiKey));
  api.use(express.json({ limit: '20kb' }));
  api.use(requireIdempotencyKey);
  authorizationRoutes(api, deps);
  paypalRoutes(api, deps);
  eventRoutes(api, deps);
  api.use(providerNotFound);
  api.use(providerErrorHandler(deps.logger));
  return api;
}
