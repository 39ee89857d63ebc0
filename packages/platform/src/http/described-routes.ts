import express, { type RequestHandler, type Router } from 'express';
import type Joi from 'joi';
import type { Role } from '../auth.js';
import type { ErrorCode } from '../errors.js';

/**
 * One way of proving who calls a route. A route's requirements are alternatives: any one of them
 * is enough (a cart route takes a bearer token or a guest's cart token).
 */
export type SecurityRequirement =
  /** `Authorization: Bearer <accessToken>`, with one of the roles when roles are named. */
  | { scheme: 'bearer'; roles?: readonly Role[] }
  /** A guest cart's `X-Cart-Token`. */
  | { scheme: 'cartToken' }
  /** A webhook's `X-Signature`: HMAC-SHA256 over the raw body with a shared secret. */
  | { scheme: 'signature' };

/** What the API document says about a route beyond its schemas; nothing here changes how it answers. */
export interface RouteDoc {
  /** What the route does, in one line. */
  summary: string;
  description?: string;
  /** The codes of API.md the route's use case answers with; the generic ones (validation, auth, limits) are added by the document. */
  errors?: readonly ErrorCode[];
  /** Request headers the handler reads and validates itself (Idempotency-Key), by name. */
  headers?: Readonly<Record<string, Joi.Schema>>;
  /** A body the handler validates itself, after a check that must come first (a webhook's signature over the raw bytes). */
  body?: Joi.Schema;
  /** Who may call it, when the handler checks that itself (a webhook's signature) instead of a middleware. */
  security?: readonly SecurityRequirement[];
}

/** The body schema of a route's successful answer: one, or one per status when the status depends on the outcome. */
export type ResponseSpec = Joi.Schema | Readonly<Record<number, Joi.Schema>>;

/** What `route()` was given, as the API document reads it. */
export interface DescribedSpec {
  params?: Joi.Schema;
  query?: Joi.Schema;
  body?: Joi.Schema;
  status?: number;
  response?: ResponseSpec;
  doc?: RouteDoc;
  /** Answered from the answer cache (`cachedRoute`): an ETag, Cache-Control, and 304 to a matching If-None-Match. */
  cache?: 'public' | 'private';
}

/** One route an Express router serves, with what its handlers say about themselves. */
export interface DescribedRoute {
  /** Upper case: GET, POST, ... */
  method: string;
  /** The Express path, `:name` for a parameter. */
  path: string;
  /** What `route()` was given; undefined for a handler written without it. */
  spec?: DescribedSpec;
  /** The alternatives its middlewares (and its doc) require; empty for an open route. */
  security: readonly SecurityRequirement[];
}

const specs = new WeakMap<RequestHandler, DescribedSpec>();
const securities = new WeakMap<RequestHandler, readonly SecurityRequirement[]>();

/** Records what a `route()` handler validates and answers, for `describeRoutes`. */
export function recordRouteSpec(handler: RequestHandler, spec: DescribedSpec): void {
  specs.set(handler, spec);
}

/**
 * Marks a middleware as the check of who may call the routes it guards (`requireAuth` does so), for
 * the API document. Returns the middleware.
 */
export function describeSecurity<H extends RequestHandler>(handler: H, ...alternatives: SecurityRequirement[]): H {
  securities.set(handler, alternatives);
  return handler;
}

/**
 * Every route `mount` adds to a router, with its `route()` spec and security: how the API documents
 * are built from the routes themselves, so a route cannot be served and documented differently.
 * `mount` is called on a fresh router that never serves a request.
 */
export function describeRoutes(mount: (router: Router) => void): DescribedRoute[] {
  const router = express.Router();
  mount(router);
  const described: DescribedRoute[] = [];
  for (const layer of (router as unknown as { stack: RouterLayer[] }).stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string') continue;
    const handlers = route.stack.map((l) => l.handle);
    const spec = handlers.map((h) => specs.get(h)).find(Boolean);
    const security = handlers.map((h) => securities.get(h)).find(Boolean) ?? spec?.doc?.security ?? [];
    for (const method of Object.keys(route.methods).filter((m) => m !== '_all')) {
      described.push({ method: method.toUpperCase(), path: route.path, spec, security });
    }
  }
  return described;
}

/** The part of Express's router the description reads. */
interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean>; stack: Array<{ handle: RequestHandler }> };
}
