import Joi from 'joi';
import { AppError } from '../errors.js';

type Location = 'params' | 'query' | 'body' | 'headers';

/**
 * Validates one part of a request. Query and params arrive as strings, so they are converted;
 * a JSON body must already have the right types.
 */
export function validatePart<T>(schema: Joi.Schema<T>, value: unknown, location: Location): T {
  const problem = findTextProblem(value);
  if (problem) throw new AppError('VALIDATION_ERROR', 'the request is not valid', { fields: [{ location, ...problem }] });
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

/** Deeper than any request of the API nests; a deeper value is refused before anything walks it by recursion. */
export const MAX_NESTING = 32;

/**
 * The first thing in a value (at any depth) that no handler should see: a string or object key
 * that PostgreSQL could not store or a client could not print (a NUL character, an unpaired
 * UTF-16 surrogate), or nesting deeper than MAX_NESTING. Undefined if none.
 */
export function findTextProblem(value: unknown, path = '', depth = 0): { field: string; message: string } | undefined {
  if (typeof value === 'string') return isUnsafeText(value) ? { field: path, message: 'must not contain NUL characters or unpaired surrogates' } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_NESTING) return { field: path, message: `must not nest deeper than ${MAX_NESTING} levels` };
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (isUnsafeText(key)) return { field: childPath, message: 'must not contain NUL characters or unpaired surrogates' };
    const found = findTextProblem(child, childPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}
