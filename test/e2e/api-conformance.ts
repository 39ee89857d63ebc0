import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { API_DOCUMENT_FILES } from '@shop/gateway/src/api-documents';
import type { HttpExchange } from '@shop/testkit';

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal segments: the more, the more specific the template. */
  literals: number;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: object }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Operation['responses'] }>>;
  components: { schemas: Record<string, object>; responses: Record<string, { content?: Record<string, { schema: object }> }> };
}

/** Formats the document uses, checked as ajv-formats checks them; the rest of 2020-12 as Ajv does. */
function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

/**
 * Checks every answer the gateway gives an e2e test against the committed OpenAPI document: the
 * operation must be documented with that status, and the body must match the status's schema.
 * A path no operation has must be answered 404 in the error shape. A mismatch throws, so the
 * test's call fails and names the operation, the status and what did not match.
 */
export function apiConformance(document: OpenApiDocument = JSON.parse(readFileSync(API_DOCUMENT_FILES.openapi, 'utf8'))): (exchange: HttpExchange) => void {
  const ajv = newAjv();
  const components = document.components;
  const operations: Operation[] = Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const segments = template.split('/').filter(Boolean);
      const source = segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
      return { method: method.toUpperCase(), template, pattern: new RegExp(`^/${source}/?$`), literals: segments.filter((s) => !s.startsWith('{')).length, responses: operation.responses };
    }),
  );
  operations.sort((a, b) => b.literals - a.literals);
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (key: string, schema: object) => {
    let validate = compiled.get(key);
    if (!validate) {
      // The schema's `#/components/...` references resolve against the components carried along.
      validate = ajv.compile({ ...schema, components: { schemas: components.schemas } });
      compiled.set(key, validate);
    }
    return validate;
  };
  const errorValidator = () => validatorOf('Error', { $ref: '#/components/schemas/Error' });

  return ({ method, path, response }) => {
    const pathname = path.split('?')[0] as string;
    const operation = operations.find((o) => o.method === method && o.pattern.test(pathname));
    const what = `${method} ${path} answered ${response.status}`;
    if (!operation) {
      if (response.status === 404 && errorValidator()(response.body)) return;
      throw new Error(`${what}, but the API document has no operation ${method} ${pathname}`);
    }
    const name = `${operation.method} ${operation.template}`;
    let documented = operation.responses[String(response.status)];
    if (!documented) throw new Error(`${what}: the API document does not list ${response.status} for ${name} (${Object.keys(operation.responses).join(', ')}); body ${JSON.stringify(response.body)}`);
    if (documented.$ref) documented = components.responses[documented.$ref.split('/').pop() as string] ?? {};
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) {
      if (response.body === undefined || response.body === '') return;
      throw new Error(`${what} with a body, but the API document says ${name} answers ${response.status} without one`);
    }
    const validate = validatorOf(`${name} ${response.status}`, schema);
    if (!validate(response.body)) {
      throw new Error(`${what}, a body that does not match the API document's ${name} ${response.status}: ${ajv.errorsText(validate.errors)}; body ${JSON.stringify(response.body)}`);
    }
  };
}
