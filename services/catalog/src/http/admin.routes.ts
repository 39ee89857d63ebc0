import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import { activateProduct } from '../app/activate-product.use-case.js';
import { createProduct } from '../app/create-product.use-case.js';
import { deactivateProduct } from '../app/deactivate-product.use-case.js';
import { deleteProduct } from '../app/delete-product.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import { getAdminProduct } from '../app/get-admin-product.use-case.js';
import { listAdminProducts } from '../app/list-admin-products.use-case.js';
import { listPriceAudit } from '../app/list-price-audit.use-case.js';
import { updateProduct } from '../app/update-product.use-case.js';
import * as schema from './catalog.schemas.js';

/** Product management: admins only. */
export function adminRoutes(router: Router, deps: CatalogDeps): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  const byId = { params: schema.productIdParams };

  router.get('/admin/products', admin, route({ query: schema.adminProductsQuery }, ({ query }) => listAdminProducts(deps, query)));
  router.post('/admin/products', admin, route({ body: schema.createProductBody, status: 201 }, (input) => createProduct(deps, principalOf(input), input.body)));
  router.get('/admin/products/:id', admin, route(byId, ({ params }) => getAdminProduct(deps, params.id)));
  router.patch(
    '/admin/products/:id',
    admin,
    route({ ...byId, body: schema.updateProductBody }, (input) => updateProduct(deps, principalOf(input), input.params.id, input.body)),
  );
  router.delete('/admin/products/:id', admin, route(byId, (input) => deleteProduct(deps, principalOf(input), input.params.id)));
  router.post('/admin/products/:id/activate', admin, route(byId, (input) => activateProduct(deps, principalOf(input), input.params.id)));
  router.post('/admin/products/:id/deactivate', admin, route(byId, (input) => deactivateProduct(deps, principalOf(input), input.params.id)));
  router.get(
    '/admin/products/:id/price-audit',
    admin,
    route({ ...byId, query: schema.priceAuditQuery }, ({ params, query }) => listPriceAudit(deps, params.id, query)),
  );
}
