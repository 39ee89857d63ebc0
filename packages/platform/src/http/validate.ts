import Joi from 'joi';
import { AppError } from '../errors.js';

type Location = 'params' | 'query' | 'body' | 'headers';

/**
 * Validates one part of a request. Query and params arrive as strings, so they are converted;
 * a JSON body must already have the right types.
 */
export function validatePart<T>(schema: Joi.Schema<T>, value: unknown, location: Location): T {
  const unsafe = findUnsafeText(value);
  if (unsafe !== undefined) {
    throw new AppError('VALIDATION_ERROR', 'the request is not valid', {
      fields: [{ location, field: unsafe, message: 'must not contain NUL characters or unpaired surrogates' }],
    });
  }
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

/** A page of a list, as every list in API.md answers: `{ items, page, pageSize, total }`. */
export function pageOf(item: Joi.Schema): Joi.ObjectSchema {
  return Joi.object({
    items: Joi.array().items(item).required(),
    page: Joi.number().integer().min(1).required(),
    pageSize: Joi.number().integer().min(1).max(100).required(),
    total: Joi.number().integer().min(0).required().description('items on every page together'),
  });
}

// A lone high surrogate not followed by a low one, or a low one without a high one before it.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isUnsafeText(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

/**
 * The path of the first string (value or object key, at any depth) that PostgreSQL could not store
 * or a client could not print: a NUL character or an unpaired UTF-16 surrogate. Undefined if none.
 */
export function findUnsafeText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isUnsafeText(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (isUnsafeText(key)) return childPath;
    const found = findUnsafeText(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}
