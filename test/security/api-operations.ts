import { readFileSync } from 'node:fs';
import { API_DOCUMENT_FILES } from '@shop/gateway/src/api-documents';
import type { Schema } from './malformed-input';

/** Who must send a request for it to get past the gateway and the service's guard to its validation. */
export type Caller = 'anyone' | 'customer' | 'admin' | 'payment provider' | 'carrier';

export interface Parameter {
  name: string;
  schema: Schema;
}

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface ApiOperation {
  method: string;
  /** The path below `/api/v1`, with `{name}` parameters. */
  template: string;
  caller: Caller;
  path: Parameter[];
  query: Parameter[];
  headers: Parameter[];
  body?: Schema;
}

interface DocumentOperation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<Parameter & { in: string }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

/** Every operation the committed API document lists, except the documents themselves. */
export function apiOperations(): ApiOperation[] {
  const document = JSON.parse(readFileSync(API_DOCUMENT_FILES.openapi, 'utf8')) as { paths: Record<string, Record<string, DocumentOperation>> };
  return Object.entries(document.paths)
    .filter(([template]) => !template.endsWith('.json'))
    .flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const parameters = (where: string) => (operation.parameters ?? []).filter((p) => p.in === where).map(({ name, schema }) => ({ name, schema }));
        return {
          method: method.toUpperCase(),
          template,
          caller: callerOf(template, operation.security ?? []),
          path: parameters('path'),
          query: parameters('query'),
          headers: parameters('header'),
          body: operation.requestBody?.content['application/json']?.schema,
        };
      }),
    );
}

function callerOf(template: string, security: Array<Record<string, string[]>>): Caller {
  const schemes = security.flatMap((requirement) => Object.entries(requirement));
  if (schemes.some(([scheme]) => scheme === 'webhookSignature')) return template.includes('carriers') ? 'carrier' : 'payment provider';
  const bearer = schemes.find(([scheme]) => scheme === 'bearerAuth');
  if (!bearer) return 'anyone';
  return bearer[1].includes('admin') ? 'admin' : 'customer';
}
