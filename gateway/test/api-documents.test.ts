import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { buildAsyncApiDocument, findPublications } from '../../scripts/api-docs/asyncapi';
import { buildOpenApiDocument, openApiPath, publicOperations } from '../../scripts/api-docs/openapi';
import { serviceRoutes } from '../../scripts/api-docs/services';
import { documentText } from '../../scripts/api-docs/text';
import { API_DOCUMENT_FILES, API_DOCUMENT_PATHS } from '../src/api-documents';
import { createRouteResolver, PUBLIC_BASE_PATH, routeTable } from '../src/routes';
import { startGatewayFixture, type GatewayFixture } from './gateway.fixture';

const committed = (file: URL) => readFileSync(file, 'utf8');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the committed OpenAPI document: method and public path (`/api/v1/orders/{id}`). */
function documentedOperations(): Array<{ method: string; path: string }> {
  const document = JSON.parse(committed(API_DOCUMENT_FILES.openapi)) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => HTTP_METHODS.includes(m))
      .map((method) => ({ method: method.toUpperCase(), path: `${PUBLIC_BASE_PATH}${path}` })),
  );
}

const samplePath = (path: string) => path.replace(/\{(\w+)\}/g, 'sample-$1');
const isGatewayDocument = (path: string) => path === API_DOCUMENT_PATHS.openapi || path === API_DOCUMENT_PATHS.asyncapi;

describe('gateway', () => {
  describe('API documents', () => {
    describe('the committed documents', () => {
      it('when the code changes, then gateway/src/api-docs/openapi.json is regenerated with it (scripts/api-docs.ts)', () => {
        expect(committed(API_DOCUMENT_FILES.openapi) === documentText(buildOpenApiDocument()), 'openapi.json is stale: run scripts/api-docs.ts').to.equal(true);
      });

      it('when the contracts or their producers change, then gateway/src/api-docs/asyncapi.json is regenerated with them', () => {
        expect(committed(API_DOCUMENT_FILES.asyncapi) === documentText(buildAsyncApiDocument()), 'asyncapi.json is stale: run scripts/api-docs.ts').to.equal(true);
      });

      it('when the OpenAPI document is read by OpenAPI tools, then it is valid OpenAPI 3.1', async () => {
        const result = await new Validator().validate(JSON.parse(committed(API_DOCUMENT_FILES.openapi)));
        expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
        expect(result.valid).to.equal(true);
      });

      it('when the AsyncAPI document is read by AsyncAPI tools, then it is valid AsyncAPI 3.0', () => {
        const specification = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@asyncapi/specs/schemas/3.0.0-without-$id.json'), 'utf8'));
        const ajv = new Ajv({ strict: false, allErrors: true });
        addFormats.default(ajv);
        const valid = ajv.validate(specification, JSON.parse(committed(API_DOCUMENT_FILES.asyncapi)));
        expect(ajv.errors ?? [], ajv.errorsText(ajv.errors)).to.deep.equal([]);
        expect(valid).to.equal(true);
      });
    });

    describe('the OpenAPI document and the route table', () => {
      const resolve = createRouteResolver(routeTable);

      it('when a row of the route table routes nothing the document has, then that is a missing operation (or a dead row)', () => {
        const operations = documentedOperations().filter((o) => !isGatewayDocument(o.path));
        const routed = new Set(operations.map((o) => resolve(o.method, samplePath(o.path))?.route));
        const missing = routeTable.filter((row) => !routed.has(row)).map((row) => `${row.method ?? '*'} ${row.prefix}`);
        expect(missing).to.deep.equal([]);
      });

      it('when the document has an operation, then the gateway routes it to a service that serves it', () => {
        const services = serviceRoutes();
        const wrong: string[] = [];
        for (const { method, path } of documentedOperations()) {
          if (isGatewayDocument(path)) continue;
          const resolved = resolve(method, samplePath(path));
          const service = services.find((s) => s.upstream === resolved?.route.upstream);
          const served = service?.routes.some((r) => r.method === method && openApiPath(`${PUBLIC_BASE_PATH}${r.path}`) === path);
          if (!resolved) wrong.push(`${method} ${path}: not routed by the gateway`);
          else if (!served) wrong.push(`${method} ${path}: ${resolved.route.upstream} does not serve it`);
        }
        expect(wrong).to.deep.equal([]);
      });

      it('when a service serves a route outside /internal, then the document has it', () => {
        const documented = new Set(documentedOperations().map((o) => `${o.method} ${o.path}`));
        const undocumented = publicOperations()
          .map((o) => `${o.method} ${openApiPath(o.path)}`)
          .filter((key) => !documented.has(key));
        expect(undocumented).to.deep.equal([]);
      });

      it('when a route needs roles at the gateway, then its operation requires a bearer token with them', () => {
        const document = JSON.parse(committed(API_DOCUMENT_FILES.openapi)) as { paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>> };
        for (const { method, path } of documentedOperations()) {
          const row = resolve(method, samplePath(path))?.route;
          if (!row?.roles) continue;
          const security = document.paths[path.slice(PUBLIC_BASE_PATH.length)]?.[method.toLowerCase()]?.security ?? [];
          const roles = security[0]?.bearerAuth ?? [];
          expect(security, `${method} ${path}`).to.have.length(1);
          expect(roles, `${method} ${path}`).to.have.length.greaterThan(0);
          expect(row.roles, `${method} ${path}`).to.include.members(roles);
        }
      });
    });

    describe('the AsyncAPI document', () => {
      it('when a service writes an event to its outbox, then the document names it as that event\'s producer', () => {
        const publications = findPublications();
        expect([...publications.keys()]).to.include.members(['customer', 'catalog', 'inventory', 'cart', 'order', 'payment', 'notification']);
        const document = JSON.parse(committed(API_DOCUMENT_FILES.asyncapi)) as { operations: Record<string, { action: string }> };
        for (const [service, contracts] of publications) {
          for (const contract of contracts) expect(document.operations, service).to.have.property(`${service}.sends.${contract.type}.v${contract.version}`);
        }
      });
    });

    describe('served by the gateway', () => {
      let f: GatewayFixture;
      before(async () => {
        f = await startGatewayFixture();
      });
      after(() => f.stop());

      it('when GET /api/v1/openapi.json and /api/v1/asyncapi.json, then the committed documents, without calling a service', async () => {
        const before = f.customer.seen.length;
        const openapi = await f.api.get(API_DOCUMENT_PATHS.openapi);
        expect(openapi.status).to.equal(200);
        expect(openapi.headers.get('content-type')).to.match(/^application\/json/);
        expect(openapi.body).to.deep.equal(JSON.parse(committed(API_DOCUMENT_FILES.openapi)));
        const asyncapi = await f.api.get(API_DOCUMENT_PATHS.asyncapi);
        expect(asyncapi.status).to.equal(200);
        expect(asyncapi.body).to.deep.equal(JSON.parse(committed(API_DOCUMENT_FILES.asyncapi)));
        expect(f.customer.seen.length).to.equal(before);
      });

      it('when /api/docs is opened, then Swagger UI from local files under a policy that allows its own scripts only', async () => {
        const page = await f.api.get(API_DOCUMENT_PATHS.viewer);
        expect(page.status).to.equal(200);
        expect(page.headers.get('content-type')).to.match(/^text\/html/);
        const csp = page.headers.get('content-security-policy') ?? '';
        expect(csp).to.include("script-src 'self'").and.not.include('unsafe-eval');
        expect(page.body).to.not.match(/<script>(?!<\/script>)/);
        const assets = [...(page.body as string).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
        expect(assets.every((a) => a.startsWith(`${API_DOCUMENT_PATHS.viewer}/`)), assets.join(' ')).to.equal(true);
        for (const asset of assets) expect((await f.api.get(asset)).status, asset).to.equal(200);
        const viewer = await f.api.get(`${API_DOCUMENT_PATHS.viewer}/viewer.js`);
        expect(viewer.headers.get('content-type')).to.match(/javascript/);
        expect(viewer.body).to.include(`"${API_DOCUMENT_PATHS.openapi}"`);
      });
    });
  });
});
