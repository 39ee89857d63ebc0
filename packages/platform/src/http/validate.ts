import Joi from 'joi';
import { AppError } from '../errors';

type Location = 'params' | 'query' | 'body';

/**
 * Validates one part of a request. Query and params arrive as strings, so they are converted;
 * a JSON body must already have the right types.
 */
export function validatePart<T>(schema: Joi.Schema<T>, value: unknown, location: Location): T {
  const { value: valid, error } = schema.validate(value, {
    abortEarly: false,
    convert: location !== 'body',
    errors: { wrap: { label: false } },
  });
  if (error) {
    const fields = error.details.map((d) => ({ location, field: d.path.join('.'), message: d.message }));
    throw new AppError('VALIDATION_ERROR', 'the request is not valid', { fields });
  }
  return valid;
}

/** `?page=1&pageSize=20` (max 100), as every list in API.md takes it. */
export const paginationKeys = {
  page: Joi.number().integer().min(1).max(10_000).default(1),
  pageSize: Joi.number().integer().min(1).max(100).default(20),
};
