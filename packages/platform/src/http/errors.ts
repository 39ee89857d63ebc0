import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import Joi from 'joi';
import { AppError, errorBody, statusOf } from '../errors.js';
import type { Logger } from '../logger.js';
import { isTransientError } from '../transient.js';
import { CORRELATION_HEADER } from './correlation.js';

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', `no route for ${req.method} ${req.path}`));
};

/** Body-parser failures carry a `type`; they are the client's fault, never a 5xx. */
function fromBodyParser(err: { type?: string; status?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('VALIDATION_ERROR', 'the body is not valid JSON', { fields: [{ location: 'body', field: '', message: 'malformed JSON' }] });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'the body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding');
    default:
      return err.status && err.status >= 400 && err.status < 500 ? new AppError('VALIDATION_ERROR', 'the request is not valid') : undefined;
  }
}

/**
 * The one place errors become HTTP: AppError codes through the shared table; a dependency that is
 * down (PostgreSQL dropped, a service unreachable) 503 SERVICE_UNAVAILABLE; anything else 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : fromBodyParser(err);
    if (!appError && isTransientError(err)) {
      logger.warn('request failed on an unavailable dependency', { method: req.method, path: req.path, error: String(err) });
      if (!res.headersSent) res.status(503).set('Retry-After', '1').json(errorBody('SERVICE_UNAVAILABLE', 'a dependency is unavailable, try again later'));
      return;
    }
    if (!appError) {
      logger.error('unhandled error', { method: req.method, path: req.path, error: err instanceof Error ? err.stack : String(err) });
      if (!res.headersSent) res.status(500).json(errorBody('INTERNAL', 'internal error'));
      return;
    }
    const status = statusOf(appError.code);
    const level = status >= 500 ? 'error' : 'info';
    logger.log(level, 'request failed', { method: req.method, path: req.path, status, code: appError.code, correlationId: req.headers[CORRELATION_HEADER] });
    if (!res.headersSent) writeError(res, appError);
  };
}

/**
 * Answers an AppError in the error shape, with its status, `Retry-After` when it names one, and
 * `X-Error-Code`: the one way an error becomes an answer, with or without Express.
 */
export function writeError(res: ServerResponse, error: AppError): void {
  const body = errorBody(error.code, error.message, error.details);
  const json = JSON.stringify(body);
  const retryAfter = error.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
  // Says the answer is the service's own verdict (a proxy in front of it can tell it from a failure).
  res.setHeader(ERROR_CODE_HEADER, body.error.code);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.statusCode = statusOf(error.code);
  res.end(json);
}

/** The header every error answer of a service names its code in. */
export const ERROR_CODE_HEADER = 'x-error-code';

/**
 * The error body every answer that is not a success has (API.md "Error shape"), for the API
 * documents; `codes` narrows the code to those a status of a route can carry.
 */
export function errorBodySchema(codes?: readonly string[]): Joi.ObjectSchema {
  const code = codes ? Joi.string().valid(...codes) : Joi.string().pattern(/^[A-Z][A-Z_]*$/);
  return Joi.object({
    error: Joi.object({
      code: code.required().description('stable, machine-readable'),
      message: Joi.string().required().description('for people; never a stack trace'),
      details: Joi.object()
        .unknown(true)
        .required()
        .description('what the code needs to be acted on: `fields` for VALIDATION_ERROR ({location, field, message}), `available`, `items`, `reason`, ...'),
    }).required(),
  });
}
