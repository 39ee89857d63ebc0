import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runInContext } from '../context.js';

export const CORRELATION_HEADER = 'x-correlation-id';
const acceptable = /^[\w.-]{1,100}$/;

/** Takes the caller's correlation id (or makes one), echoes it, and runs the request inside it. */
export const correlationId: RequestHandler = (req, res, next) => {
  const given = req.get(CORRELATION_HEADER);
  const id = given && acceptable.test(given) ? given : randomUUID();
  req.headers[CORRELATION_HEADER] = id;
  res.setHeader('X-Correlation-Id', id);
  runInContext({ correlationId: id, causationId: null }, next);
};
