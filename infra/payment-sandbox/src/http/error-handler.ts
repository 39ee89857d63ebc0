import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, isTransientError, type Logger } from '@shop/platform';
import { errorBody, ProviderError, statusOf, type ErrorExtras, type ProviderErrorCode } from '../errors.js';

// A joi message quotes the value it refused: never for a card field, whose value is the card.
const SECRET_FIELD = /^card(\.|$)/;

/** The platform's request validation (joi, in `route()`) says VALIDATION_ERROR with the fields; the provider says invalid_request. */
function fromValidation(err: AppError): ProviderError {
  const fields = Array.isArray(err.details.fields) ? (err.details.fields as Array<{ location?: string; field?: string; message?: string }>) : [];
  const problems = fields.map(({ location, field = '', message }) => {
    if (SECRET_FIELD.test(field)) return `${field} is invalid`;
    return message ?? `${location ?? 'request'} ${field} is invalid`;
  });
  return new ProviderError('invalid_request', problems.length > 0 ? `the request is not valid: ${problems.join('; ')}` : err.message);
}

/** Body-parser failures carry a `type`. Their messages may quote the body (a card), so they are not passed on. */
function fromBodyParser(err: { type?: string; status?: number }): ProviderError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ProviderError('invalid_request', 'the body is not valid JSON');
    case 'entity.too.large':
      return new ProviderError('request_too_large', 'the body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProviderError('unsupported_media_type', 'unsupported body encoding');
    default:
      return err.status && err.status >= 400 && err.status < 500 ? new ProviderError('invalid_request', 'the request is not valid') : undefined;
  }
}

function toProviderError(err: unknown): ProviderError | undefined {
  if (err instanceof ProviderError) return err;
  if (err instanceof AppError) return err.code === 'VALIDATION_ERROR' ? fromValidation(err) : new ProviderError('invalid_request', err.message);
  return fromBodyParser(err as { type?: string; status?: number });
}

/** Sends an error the handler settled on: the API's JSON shape unless told otherwise (the shopper's pages answer HTML). */
export type ErrorResponder = (res: Response, status: number, error: { code: ProviderErrorCode; message: string; extras: ErrorExtras }) => void;

const jsonError: ErrorResponder = (res, status, { code, message, extras }) => {
  res.status(status).json(errorBody(code, message, extras));
};

/**
 * The one place the provider's errors become HTTP, in its own shape. A database that is down
 * answers 503 service_unavailable, anything unexpected 500 internal_error (logged, nothing
 * internal in the body). Nothing of a request's body is logged.
 */
export function providerErrorHandler(logger: Logger, respond: ErrorResponder = jsonError): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toProviderError(err);
    let code: ProviderErrorCode;
    let error: Parameters<ErrorResponder>[2];
    if (known) {
      code = known.code;
      error = { code, message: known.message, extras: known.extras };
      logger.log(known.status >= 500 ? 'warn' : 'info', 'request refused', { method: req.method, path: `${req.baseUrl}${req.path}`, status: known.status, code });
    } else if (isTransientError(err)) {
      code = 'service_unavailable';
      error = { code, message: 'the provider is unavailable, try again later', extras: {} };
      res.set('Retry-After', '1');
      logger.warn('request failed on an unavailable dependency', { method: req.method, path: `${req.baseUrl}${req.path}`, error: String(err) });
    } else {
      code = 'internal_error';
      error = { code, message: 'internal error', extras: {} };
      logger.error('unhandled error', { method: req.method, path: `${req.baseUrl}${req.path}`, error: err instanceof Error ? err.stack : String(err) });
    }
    if (!res.headersSent) respond(res, statusOf(code), error);
  };
}

export const providerNotFound: RequestHandler = (req) => {
  throw new ProviderError('not_found', `no route for ${req.method} ${req.baseUrl}${req.path}`);
};
