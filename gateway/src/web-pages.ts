import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { PAGE_CONTENT_SECURITY_POLICY } from './page-policy.js';

/** Paths that are never a page of the storefront, whatever the browser accepts. */
const NOT_A_PAGE = /^\/(api|health|metrics|assets)(\/|$)/;

/**
 * Serves the built storefront (`/`) and admin (`/admin/`) from `dir` (what `vite build` writes):
 * hashed files under `/assets/` with a one-year immutable cache (gzipped when the browser takes
 * it), and for a browser asking for a
 * page (`Accept: text/html`) at a client route, the page's `index.html`, revalidated every time so
 * a new build is seen at once. API clients asking for an unknown path still get 404 in the error
 * shape.
 */
export function mountWebPages(router: Router, dir: string): void {
  const root = path.resolve(dir);
  const assets = path.join(root, 'assets');
  const cache = { immutable: true, maxAge: '365d' } as const;
  // The build writes `<file>.gz` beside each script and style sheet: sent as it is to browsers that take gzip.
  router.use('/assets', (req, res, next) => {
    if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) || !/^\/[\w.-]+\.(js|css)$/.test(req.path) || !existsSync(path.join(assets, `${req.path}.gz`))) return next();
    res.set({ 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }).type(path.extname(req.path));
    res.sendFile(`${req.path.slice(1)}.gz`, { root: assets, ...cache }, (err) => err && next(err));
  });
  router.use('/assets', express.static(assets, { ...cache, index: false, redirect: false, setHeaders: (res) => res.setHeader('Vary', 'Accept-Encoding') }));

  const page =
    (file: string): RequestHandler =>
    (req, res, next) => {
      if (!(req.headers.accept ?? '').includes('text/html') || NOT_A_PAGE.test(req.path) || path.extname(req.path) !== '') return next();
      res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY });
      res.sendFile(file, { root }, (err) => err && next(err));
    };
  router.get(['/admin', '/admin/*rest'], page('admin/index.html'));
  router.get('/*rest', page('index.html'));
  router.get('/', page('index.html'));
}
