import fc from 'fast-check';
import { signWebhook } from '@shop/platform';
import { apiConformance } from '../e2e/api-conformance';
import { CARRIER_WEBHOOK_SECRET, PAYMENT_WEBHOOK_SECRET } from '../e2e/shop.fixture';
import { showsInternals, type AttackRequest } from './attack-client';
import { apiOperations, type ApiOperation, type Parameter } from './api-operations';
import type { AttackContext } from './attack-context';
import { brokenBody, edgeValue, malformedValue, nastyString, percentEncode, rawEscapes, toJson, validValue, type Schema } from './malformed-input';

/**
 * Generated requests per operation. The whole security suite must stay within about two minutes
 * on a two-core machine running other suites beside it; 60 operations at this many runs send
 * about 3,000 requests.
 */
export const FUZZ_RUNS_PER_OPERATION = 50;

/**
 * Every operation of the API document, sent malformed input generated from its own schemas (path,
 * query, headers, body) by the caller it needs, so the request reaches the service's validation.
 * Each answer must be below 500, documented for the operation with a body of the documented shape
 * and code, and say nothing of the server's internals.
 */
export function fuzzEveryOperation(context: AttackContext): void {
  const conforms = apiConformance();
  const operations = apiOperations();

  describe(`every operation of the API document (${operations.length}), ${FUZZ_RUNS_PER_OPERATION} generated malformed requests each`, () => {
    for (const operation of operations) {
      it(`${operation.method} ${operation.template} (${operation.caller}): never a 5xx, every answer documented`, async () => {
        const row = context.count('fuzzing every operation');
        await fc.assert(
          fc.asyncProperty(requestOf(operation), async (generated) => {
            const request = await context.authorize(operation, generated);
            row.checks += 1;
            const answer = await context.client.send(request);
            const what = `${request.method} ${request.path.slice(0, 300)} ${request.body?.slice(0, 300) ?? ''}`;
            if (answer.status >= 500) throw new Error(`${what} -> ${answer.status} ${answer.text.slice(0, 500)}`);
            if (showsInternals(answer)) {
              row.leaks += 1;
              throw new Error(`${what} -> ${answer.status} shows the server's internals: ${answer.text.slice(0, 500)}`);
            }
            conforms({ method: request.method, path: request.path.slice('/api/v1'.length), response: { status: answer.status, headers: new Headers(), body: answer.body } });
          }),
          { numRuns: FUZZ_RUNS_PER_OPERATION, endOnFailure: true },
        );
      });
    }
  });
}

/** A request before its caller's credentials are added. */
export type GeneratedRequest = AttackRequest & { body?: string };

function requestOf(operation: ApiOperation): fc.Arbitrary<GeneratedRequest> {
  return fc
    .record({
      path: fc.tuple(...operation.path.map((p) => pathValue(p.schema))),
      query: queryOf(operation.query),
      headers: headersOf(operation.headers),
      body: bodyOf(operation.body),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1', 'multipart/form-data; boundary=x') },
      ),
    })
    .map(({ path, query, headers, body, contentType }) => {
      let index = 0;
      const filled = operation.template.replace(/\{[^}]+\}/g, () => path[index++] as string);
      const headersSent: Record<string, string> = { ...headers };
      if (body !== undefined) headersSent['content-type'] = contentType;
      return { method: operation.method, path: `/api/v1${filled}${query}`, headers: headersSent, body };
    });
}

/** A path segment: a good value, an edge, or a nasty one; never one that spells a slash or a dot segment (the perimeter checks those). */
function pathValue(schema: Schema): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 3, arbitrary: validValue(schema).map((v) => percentEncode(String(v))) },
      { weight: 2, arbitrary: edgeValue(schema).map((v) => percentEncode(String(v))) },
      { weight: 2, arbitrary: nastyString.filter((s) => s.length <= 2_000).map(percentEncode) },
      { weight: 1, arbitrary: rawEscapes },
    )
    .filter((segment) => segment !== '' && !/^(?:\.|%2e){1,2}$/i.test(segment) && !/%2f|%5c/i.test(segment));
}

/** A query value as text: scalars as they are, objects and arrays as JSON. */
const asText = (value: unknown) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

function queryValue(schema: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: validValue(schema).map((v) => percentEncode(asText(v))) },
    { weight: 3, arbitrary: edgeValue(schema).map((v) => percentEncode(asText(v))) },
    { weight: 2, arbitrary: nastyString.filter((s) => s.length <= 2_000).map(percentEncode) },
    { weight: 1, arbitrary: rawEscapes },
  );
}

/** Each parameter absent, once or repeated (an array where a scalar belongs); now and then unknown ones. */
function queryOf(parameters: Parameter[]): fc.Arbitrary<string> {
  const each = parameters.map((p) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([] as string[]) },
      { weight: 3, arbitrary: queryValue(p.schema).map((v) => [`${p.name}=${v}`]) },
      { weight: 1, arbitrary: fc.array(queryValue(p.schema), { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => `${p.name}=${v}`)) },
      { weight: 1, arbitrary: fc.constantFrom(`${p.name}[a]=1`, `${p.name}[]=1`, p.name, `${p.name}=`) .map((v) => [v]) },
    ),
  );
  const unknown = fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'x', 'admin', ''), nastyString.filter((s) => s.length <= 200)), { maxLength: 2 }).map((pairs) => pairs.map(([k, v]) => `${k}=${percentEncode(v)}`)) });
  return fc.tuple(fc.tuple(...each), unknown).map(([known, extra]) => {
    const pairs = [...known.flat(), ...extra];
    return pairs.length ? `?${pairs.join('&')}` : '';
  });
}

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });

function headersOf(parameters: Parameter[]): fc.Arbitrary<Record<string, string>> {
  const each = parameters.map((p) =>
    fc.option(fc.oneof(p.schema.pattern ? validValue(p.schema).map(String) : printable, printable, fc.constant('x'.repeat(8_000))).map((v) => [p.name, v] as const), { nil: undefined }),
  );
  return fc.tuple(...each).map((pairs) => Object.fromEntries(pairs.filter((p) => p !== undefined)));
}

/** A malformed JSON body from the schema, now and then no JSON at all; routes without a body now and then get one. */
function bodyOf(schema: Schema | undefined): fc.Arbitrary<string | undefined> {
  if (!schema) return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: brokenBody });
  return fc.oneof({ weight: 6, arbitrary: malformedValue(schema).map(toJson) }, { weight: 1, arbitrary: brokenBody }, { weight: 1, arbitrary: fc.constant(undefined) });
}

/** The credentials the operation's caller sends: a bearer token, or the provider's or carrier's signature over the body. */
export function signedFor(operation: ApiOperation, request: GeneratedRequest, token: string | undefined): AttackRequest {
  if (operation.caller === 'payment provider' || operation.caller === 'carrier') {
    const secret = operation.caller === 'carrier' ? CARRIER_WEBHOOK_SECRET : PAYMENT_WEBHOOK_SECRET;
    return { ...request, headers: { ...request.headers, 'x-signature': signWebhook(secret, request.body ?? '') } };
  }
  return { ...request, token };
}
