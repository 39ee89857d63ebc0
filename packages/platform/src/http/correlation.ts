import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { runInContext } from '../context.js';

export const CORRELATION_HEADER = 'x-correlation-id';
const acceptable = /^[\w.-]{1,100}$/;

/** The caller's correlation id when it is acceptable, else a new one; stored on the request's headers so later hops send it on. */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && acceptable.test(given) ? given : randomUUID();
  req.headers[CORRELATION_HEADER] = id;
  return id;
}

/** Takes the caller's correlation id (or makes one), echoes it, and runs the request inside it. */
export const correlationId: RequestHandler = (req, res, next) => {
  const id = correlationIdOf(req);
  res.setHeader('X-Correlation-Id', id);
  runInContext({ correlationId: id, causationId: null }, next);
};

/**
 * The same id and echo without a request context: for a process that runs no use case (the
 * gateway), whose log lines name the id themselves. A context would switch on Node's promise hooks
 * for the life of the process, a cost on every request.
 */
export const correlationIdWithoutContext: RequestHandler = (req, res, next) => {
  res.setHeader('X-Correlation-Id', correlationIdOf(req));
  next();
};
