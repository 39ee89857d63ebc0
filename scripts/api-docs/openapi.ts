import type Joi from 'joi';
import { API_DOCUMENT_PATHS } from '@shop/gateway/src/api-documents';
import { createRouteResolver, PUBLIC_BASE_PATH, routeTable, type GatewayRoute } from '@shop/gateway/src/routes';
import { errorBodySchema, publicCodeOf, statusOf, type DescribedRoute, type ErrorCode, type ResponseSpec, type Role, type SecurityRequirement } from '@shop/platform';
import { toJsonSchema, type JsonSchema } from './json-schema.js';
import { serviceRoutes, type ServiceRoutes } from './services.js';

/** One operation of the public API: a service's route the gateway routes to it. */
export interface PublicOperation {
  method: string;
  /** The public path, with `:name` parameters: `/api/v1/orders/:id`. */
  path: string;
  service: ServiceRoutes;
  route: DescribedRoute;
  /** The row of the gateway's table that routes it. */
  row: GatewayRoute;
}

/** A path with `:name` parameters, as the OpenAPI document writes it: `{name}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** A concrete path for a pattern, to ask the gateway's resolver which row serves it. */
const samplePath = (path: string) => path.replace(/:(\w+)/g, 'sample-$1');

/**
 * The public API: every route of every service that the gateway routes to that service. A route
 * outside `/internal` that the gateway does not route, or routes to another service, is a mistake
 * in the table or in the service, and stops the build of the documents.
 */
export function publicOperations(services: readonly ServiceRoutes[] = serviceRoutes()): PublicOperation[] {
  const resolve = createRouteResolver(routeTable);
  const operations: PublicOperation[] = [];
  for (const service of services) {
    for (const route of service.routes) {
      const path = `${PUBLIC_BASE_PATH}${route.path}`;
      const resolved = resolve(route.method, samplePath(path));
      if (route.path.startsWith('/internal/')) {
        if (resolved) throw new Error(`the gateway routes the internal route ${route.method} ${route.path}`);
        continue;
      }
      if (!resolved) throw new Error(`${service.name} serves ${route.method} ${route.path}, which the gateway does not route`);
      if (resolved.route.upstream !== service.upstream) {
        throw new Error(`${service.name} serves ${route.method} ${route.path}, which the gateway routes to ${resolved.route.upstream}`);
      }
      operations.push({ method: route.method, path, service, route, row: resolved.route });
    }
  }
  return operations;
}

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];

/** Codes every operation may answer: what the gateway and the HTTP layer refuse, whatever the route. */
const ALWAYS: readonly ErrorCode[] = ['BAD_REQUEST', 'VALIDATION_ERROR', 'UNAUTHORIZED'];

/** Answers every operation may give, described once under components.responses. */
const SHARED_RESPONSES: Record<string, { status: number; code: ErrorCode; description: string }> = {
  RequestTimeout: { status: 408, code: 'REQUEST_TIMEOUT', description: 'REQUEST_TIMEOUT: the client did not send its request in time' },
  PayloadTooLarge: { status: 413, code: 'PAYLOAD_TOO_LARGE', description: 'PAYLOAD_TOO_LARGE: a body over 100 kB' },
  UnsupportedMediaType: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', description: 'UNSUPPORTED_MEDIA_TYPE: a body in an encoding or charset that is not supported' },
  RateLimited: { status: 429, code: 'RATE_LIMITED', description: 'RATE_LIMITED: too many requests from this client; `Retry-After` says when to try again' },
  HeadersTooLarge: { status: 431, code: 'HEADERS_TOO_LARGE', description: 'HEADERS_TOO_LARGE' },
  Internal: { status: 500, code: 'INTERNAL', description: 'INTERNAL: never with a stack trace' },
  ServiceUnavailable: { status: 503, code: 'SERVICE_UNAVAILABLE', description: 'SERVICE_UNAVAILABLE: the service is down, starting or draining, or its breaker is open; try again later' },
};

const SECURITY_SCHEMES = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token from POST /auth/login or /auth/refresh (RS256; the keys are at GET /auth/jwks). A route that needs roles lists them: `customer`, `admin`, `fulfillment`. The gateway verifies every token that is sent, also on open routes, and refuses one of an ended session at once.',
  },
  cartToken: { type: 'apiKey', in: 'header', name: 'X-Cart-Token', description: "A guest cart's token, from POST /carts/guest" },
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Signature',
    description: '`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with the secret shared with the sender; a signature older than 5 minutes is refused (401 INVALID_SIGNATURE)',
  },
} as const;

const SCHEME_OF: Record<SecurityRequirement['scheme'], keyof typeof SECURITY_SCHEMES> = { bearer: 'bearerAuth', cartToken: 'cartToken', signature: 'webhookSignature' };

/** The gateway's own documents, served beside the API they describe. */
const DOCUMENT_OPERATIONS = [
  { path: API_DOCUMENT_PATHS.openapi, summary: 'This document: the public HTTP API (OpenAPI 3.1)', operationId: 'getOpenApiDocument' },
  { path: API_DOCUMENT_PATHS.asyncapi, summary: 'The integration events between the services (AsyncAPI 3.0)', operationId: 'getAsyncApiDocument' },
];

/**
 * The OpenAPI 3.1 document of the public API, built from the services' own routes (their joi
 * schemas converted by joi-to-json) and the gateway's route table.
 */
export function buildOpenApiDocument(operations: readonly PublicOperation[] = publicOperations()): JsonSchema {
  const shared: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...operations].sort((a, b) => a.path.localeCompare(b.path) || HTTP_METHODS.indexOf(a.method) - HTTP_METHODS.indexOf(b.method));
  for (const operation of sorted) {
    const path = openApiPath(operation.path.slice(PUBLIC_BASE_PATH.length));
    (paths[path] ??= {})[operation.method.toLowerCase()] = describeOperation(operation, shared);
  }
  for (const document of DOCUMENT_OPERATIONS) {
    paths[document.path.slice(PUBLIC_BASE_PATH.length)] = {
      get: {
        tags: ['documents'],
        summary: document.summary,
        operationId: document.operationId,
        security: [],
        responses: {
          200: { description: 'the document', content: { 'application/json': { schema: { type: 'object' } } } },
          429: { $ref: '#/components/responses/RateLimited' },
        },
      },
    };
  }
  const services = [...new Map(operations.map((o) => [o.service.name, o.service])).values()];
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: 'Shop API',
      version: '1',
      description: [
        'The public HTTP API of the shop, through its gateway. JSON in and out.',
        'Every response carries `X-Correlation-Id` (echoed when the client sends one).',
        'Every error is `{ "error": { "code", "message", "details" } }` with a stable code; a malformed body or query is a 4xx, never a 5xx.',
        'Lists are paginated: `?page=1&pageSize=20` (max 100) -> `{ items, page, pageSize, total }`. Money is `{ amount, currency }` in minor units.',
        'This document is generated from the services\' routes and joi schemas and the gateway\'s route table.',
      ].join('\n\n'),
    },
    servers: [{ url: PUBLIC_BASE_PATH }],
    tags: [...services.map((s) => s.tag), { name: 'documents', description: 'The API documents themselves' }],
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: { Error: toJsonSchema(errorBodySchema()), ...sortedKeys(shared) },
      responses: Object.fromEntries(
        Object.entries(SHARED_RESPONSES).map(([name, r]) => [name, { description: r.description, content: { 'application/json': { schema: errorSchema([r.code]) } } }]),
      ),
    },
  };
}

function describeOperation(operation: PublicOperation, shared: Record<string, JsonSchema>): Record<string, unknown> {
  const { route, row } = operation;
  const spec = route.spec;
  const name = `${route.method} ${route.path}`;
  if (!spec?.doc?.summary) throw new Error(`${operation.service.name} ${name} has no doc summary: describe it in its route() spec`);
  const doc = spec.doc;
  const security = securityOf(route, row);
  const body = spec.body ?? doc.body;

  const parameters = [
    ...parametersOf(spec.params, 'path', shared, pathParameters(route.path)),
    ...parametersOf(spec.query, 'query', shared),
    ...Object.entries(doc.headers ?? {}).map(([header, schema]) => ({ name: header, in: 'header', required: false, schema: toJsonSchema(schema, shared) })),
    ...(spec.cache ? [IF_NONE_MATCH] : []),
  ];
  const responses: Record<string, unknown> = { ...successResponses(spec.response, spec.status, name, shared, spec.cache) };
  if (spec.cache) responses[304] = { description: "not modified: the client's copy (its If-None-Match) is current; no body", headers: cacheHeaders(spec.cache) };
  const roles = security.some((s) => s.scheme === 'bearer' && s.roles);
  const codes = new Set<ErrorCode>([...ALWAYS, ...(roles ? (['FORBIDDEN'] as const) : []), ...(doc.errors ?? [])]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const shown = publicCodeOf(code);
    const list = byStatus.get(statusOf(code)) ?? [];
    if (!list.includes(shown)) list.push(shown);
    byStatus.set(statusOf(code), list);
  }
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = { description: list.join(', '), content: { 'application/json': { schema: errorSchema(list) } } };
  }
  // A service reads the body of any request, also one its route ignores: an unsupported charset is a 415 on every route.
  const shares = ['RequestTimeout', 'PayloadTooLarge', 'UnsupportedMediaType', 'RateLimited', 'HeadersTooLarge', 'Internal', 'ServiceUnavailable'];
  for (const key of shares) responses[(SHARED_RESPONSES[key] as { status: number }).status] ??= { $ref: `#/components/responses/${key}` };

  return {
    tags: [operation.service.tag.name],
    summary: doc.summary,
    ...(doc.description && { description: doc.description }),
    operationId: operationIdOf(route),
    security: security.map((s) => ({ [SCHEME_OF[s.scheme]]: s.scheme === 'bearer' ? [...(s.roles ?? [])] : [] })),
    ...(parameters.length > 0 && { parameters }),
    ...(body && { requestBody: requestBodyOf(body, shared) }),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

/**
 * Who may call: what the service's middleware (or handler) checks, narrowed by the roles the
 * gateway's row requires before the request reaches the service.
 */
function securityOf(route: DescribedRoute, row: GatewayRoute): SecurityRequirement[] {
  const service = [...route.security];
  if (!row.roles) return service;
  const bearer = service.find((s) => s.scheme === 'bearer') as { scheme: 'bearer'; roles?: readonly Role[] } | undefined;
  const roles = bearer?.roles ? row.roles.filter((r) => bearer.roles?.includes(r)) : row.roles;
  return [{ scheme: 'bearer', roles }];
}

/** The conditional request header of a route answered from memory. */
const IF_NONE_MATCH = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'ETags of copies the client holds; a current one is answered 304 without a body',
  schema: { type: 'string' },
};

/** ETag and Cache-Control of an answer kept in memory: public (the same for everyone) or private (one shopper's). */
function cacheHeaders(cache: 'public' | 'private') {
  return {
    ETag: { description: 'strong validator of the body', schema: { type: 'string' } },
    'Cache-Control': { description: 'may be stored, revalidated every time', schema: { type: 'string', enum: [cache === 'public' ? 'public, no-cache' : 'private, no-cache'] } },
  };
}

function successResponses(response: ResponseSpec | undefined, status: number | undefined, name: string, shared: Record<string, JsonSchema>, cache?: 'public' | 'private') {
  if (!response) {
    if (status !== 204) throw new Error(`${name} declares no response schema: give its route() spec a response (or status 204)`);
    return { 204: { description: 'done; no body' } };
  }
  const byStatus: Record<number, Joi.Schema> = isJoi(response) ? { [status ?? 200]: response } : (response as Record<number, Joi.Schema>);
  return Object.fromEntries(
    Object.entries(byStatus).map(([code, schema]) => [
      code,
      { description: successDescription(Number(code)), ...(cache && { headers: cacheHeaders(cache) }), content: { 'application/json': { schema: toJsonSchema(schema, shared) } } },
    ]),
  );
}

const successDescription = (status: number) => ({ 200: 'OK', 201: 'created', 202: 'accepted' })[status] ?? 'success';

const isJoi = (value: unknown): value is Joi.Schema => typeof (value as Joi.Schema | undefined)?.describe === 'function';

/** The error body (components.schemas.Error, from the platform's joi schema) with the codes a status of an operation can carry. */
function errorSchema(codes: readonly string[]): JsonSchema {
  const { description: _description, ...code } = (toJsonSchema(errorBodySchema(codes)) as { properties: { error: { properties: { code: JsonSchema } } } }).properties.error.properties.code;
  return { allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { error: { properties: { code } } } }] };
}

function requestBodyOf(body: Joi.Schema, shared: Record<string, JsonSchema>): Record<string, unknown> {
  const schema = toJsonSchema(body, shared);
  const required = Array.isArray(schema.required) && schema.required.length > 0;
  return { required, content: { 'application/json': { schema } } };
}

/** A joi object of params or query as OpenAPI parameters, one per key; path parameters without a schema are strings. */
function parametersOf(schema: Joi.Schema | undefined, location: 'path' | 'query', shared: Record<string, JsonSchema>, names: string[] = []): Array<Record<string, unknown>> {
  const converted = schema ? toJsonSchema(schema, shared) : { properties: {} };
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required as string[] | undefined) ?? []);
  const keys = [...new Set([...names, ...Object.keys(properties)])];
  return keys.map((name) => {
    const { description, ...property } = properties[name] ?? { type: 'string' };
    return { name, in: location, required: location === 'path' || required.has(name), ...(description !== undefined && { description }), schema: property };
  });
}

const pathParameters = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);

/** `POST /customers/me/addresses` -> `postCustomersMeAddresses`, `GET /orders/:id` -> `getOrdersById`. */
function operationIdOf(route: DescribedRoute): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[-_.]/)));
  return route.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
