import type { Request, RequestHandler, Response } from 'express';
import type Joi from 'joi';
import type { Principal } from '../auth.js';
import { AppError } from '../errors.js';
import { recordRouteSpec, type ResponseSpec, type RouteDoc } from './described-routes.js';
import { validatePart } from './validate.js';

export interface RouteSpec<P, Q, B> {
  params?: Joi.Schema<P>;
  query?: Joi.Schema<Q>;
  body?: Joi.Schema<B>;
  /** Status of a successful answer; 200 unless given. A handler returning undefined answers 204. */
  status?: number;
  /**
   * The body of a successful answer, for the API document (what the use case returns is not
   * checked at run time): one schema for `status`, or one per status when the handler `reply`s
   * with a status that depends on the outcome.
   */
  response?: ResponseSpec;
  /** What the API document says about the route beyond its schemas. */
  doc?: RouteDoc;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Set when the route sits behind `requireAuth`. */
  principal: Principal | undefined;
  req: Request;
  res: Response;
}

/**
 * A thin route: validates params, query and body with joi, calls one use case, sends its result
 * as JSON. Errors go to the shared error handler.
 */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<unknown>,
): RequestHandler {
  const routeHandler: RequestHandler = async (req, res) => {
    const running = handlersOf(req.app.locals);
    running.count += 1;
    try {
      const input: RouteInput<P, Q, B> = {
        params: spec.params ? validatePart(spec.params, req.params, 'params') : (req.params as P),
        query: spec.query ? validatePart(spec.query, req.query, 'query') : ({} as Q),
        body: spec.body ? validatePart(spec.body, req.body ?? {}, 'body') : (undefined as B),
        principal: res.locals.principal as Principal | undefined,
        req,
        res,
      };
      const result = await handler(input);
      if (result === undefined) res.status(204).end();
      else if (result instanceof Reply) res.status(result.status).json(result.body);
      else res.status(spec.status ?? 200).json(result);
    } catch (err) {
      throw inBody(err);
    } finally {
      running.count -= 1;
    }
  };
  recordRouteSpec(routeHandler, spec);
  return routeHandler;
}

/** How many use cases an app is running now (a drain waits for them: a client that went away does not end its work). */
export function handlersOf(locals: Record<string, unknown>): { count: number } {
  locals.handlersRunning ??= { count: 0 };
  return locals.handlersRunning as { count: number };
}

/**
 * The domain names the fields its rules refuse, not where in a request they were: what a route's
 * use case refuses came from its body.
 */
function inBody(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== 'VALIDATION_ERROR' || !Array.isArray(err.details.fields)) return err;
  const fields = (err.details.fields as Array<Record<string, unknown>>).map((field) => ({ location: 'body', ...field }));
  return new AppError(err.code, err.message, { ...err.details, fields });
}

/** An answer whose status depends on the outcome (201 created, 200 replayed), for `route` handlers. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export const reply = (status: number, body: unknown) => new Reply(status, body);

/** The authenticated principal of a route behind `requireAuth`. */
export function principalOf(input: { principal: Principal | undefined }): Principal {
  if (!input.principal) throw new AppError('UNAUTHORIZED', 'authentication required');
  return input.principal;
}
