import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Router } from 'express';
import { PAGE_CONTENT_SECURITY_POLICY } from './page-policy.js';

/** Where the gateway serves the API documents and their viewer. */
export const API_DOCUMENT_PATHS = {
  /** OpenAPI 3.1: the public HTTP API. */
  openapi: '/api/v1/openapi.json',
  /** AsyncAPI 3.0: the integration events between the services. */
  asyncapi: '/api/v1/asyncapi.json',
  /** Swagger UI over the OpenAPI document. */
  viewer: '/api/docs',
} as const;

/**
 * The documents, generated from the services' routes and the event contracts and committed beside
 * the gateway's code (the build copies them into dist/ with it), so the gateway serves them without
 * depending on any service.
 */
export const API_DOCUMENT_FILES = {
  openapi: new URL('./api-docs/openapi.json', import.meta.url),
  asyncapi: new URL('./api-docs/asyncapi.json', import.meta.url),
} as const;

/** The documents' JSON, as served. */
export interface ApiDocuments {
  openapi: string;
  asyncapi: string;
}

export async function loadApiDocuments(): Promise<ApiDocuments> {
  const [openapi, asyncapi] = await Promise.all([readFile(API_DOCUMENT_FILES.openapi, 'utf8'), readFile(API_DOCUMENT_FILES.asyncapi, 'utf8')]);
  return { openapi, asyncapi };
}

/** Swagger UI's files the viewer page uses, served from the swagger-ui-dist package (no CDN). */
const VIEWER_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png'];

const viewerPage = (base: string) => `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Shop API</title>
    <link rel="stylesheet" href="${base}/swagger-ui.css">
    <link rel="icon" type="image/png" href="${base}/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="${base}/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${base}/swagger-ui-bundle.js"></script>
    <script src="${base}/viewer.js"></script>
  </body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to an online validator.
const viewerScript = (documentUrl: string) => `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(documentUrl)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/**
 * Serves the documents (`GET /api/v1/openapi.json`, `/api/v1/asyncapi.json`) and the viewer
 * (`/api/docs`), before the route table: none of them reaches a service.
 */
export function mountApiDocuments(router: Router, documents: ApiDocuments): void {
  const assets = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const base = API_DOCUMENT_PATHS.viewer;
  router.get(API_DOCUMENT_PATHS.openapi, (_req, res) => {
    res.type('application/json').send(documents.openapi);
  });
  router.get(API_DOCUMENT_PATHS.asyncapi, (_req, res) => {
    res.type('application/json').send(documents.asyncapi);
  });
  router.get(base, (_req, res) => {
    res.set('Content-Security-Policy', PAGE_CONTENT_SECURITY_POLICY).type('html').send(viewerPage(base));
  });
  router.get(`${base}/viewer.js`, (_req, res) => {
    res.type('application/javascript').send(viewerScript(API_DOCUMENT_PATHS.openapi));
  });
  for (const asset of VIEWER_ASSETS) {
    router.get(`${base}/${asset}`, (_req, res, next) => {
      // Relative to the package's folder: the store's path (node_modules/.pnpm) would count as a dotfile.
      res.sendFile(asset, { root: assets, maxAge: '1h' }, (err) => err && next(err));
    });
  }
}
