import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Writes `<file>.gz` beside every script and style sheet, which the gateway sends to browsers that accept gzip. */
function precompress(): Plugin {
  return {
    name: 'shop-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(file)) continue;
        const written = path.join(options.dir ?? 'dist', file);
        writeFileSync(`${written}.gz`, gzipSync(readFileSync(written), { level: 9 }));
      }
    },
  };
}

// Two pages: the storefront (index.html) and the admin (admin/index.html). Each loads only its own
// entry and the chunks it shares with the other (React, the query cache, the API client), so a
// shopper's browser never downloads the admin's code.
/** The dev server answers the admin's client routes (`/admin/orders/1`) with the admin's page, as the gateway does. */
function adminRoutesInDev(): Plugin {
  return {
    name: 'shop-admin-routes',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const pathname = (req.url ?? '').split('?')[0] ?? '';
        if (/^\/admin(\/|$)/.test(pathname) && !/\.[a-z0-9]+$/i.test(pathname)) req.url = '/admin/index.html';
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress(), adminRoutesInDev()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under assets/: the gateway serves them with a one-year immutable cache.
    assetsDir: 'assets',
    rollupOptions: {
      input: { storefront: 'index.html', admin: 'admin/index.html' },
      // What both pages use, in chunks named for what they hold: the libraries, and the shop's own
      // session, API client and small components.
      output: { manualChunks: (id: string) => (id.includes('node_modules') ? 'vendor' : /\/src\/(shop|format|api\/|components\/(ui|focus))/.test(id) ? 'common' : undefined) },
    },
  },
  server: {
    // `pnpm --filter @shop/web dev`: hot reload here, the API from the shop `npm start` runs.
    proxy: { '/api': process.env.SHOP_API_ORIGIN ?? 'http://localhost:8080' },
  },
  test: {
    environment: 'happy-dom',
    // Relative API URLs resolve against the page's origin, as in a browser.
    environmentOptions: { happyDOM: { url: 'http://shop.test/' } },
    include: ['test/**/*.test.tsx', 'test/**/*.test.ts'],
  },
});
