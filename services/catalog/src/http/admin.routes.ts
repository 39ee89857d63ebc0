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

  const notFound = ['PRODUCT_NOT_FOUND'] as const;
  const productRules = ['INVALID_PRICE', 'INVALID_PRODUCT_NAME', 'DESCRIPTION_TOO_LONG'] as const;

  router.get(
    '/admin/products',
    admin,
    route({ query: schema.adminProductsQuery, response: schema.adminProductListResponse, doc: { summary: 'Every product in any status (deleted ones too), paginated' } }, ({ query }) =>
      listAdminProducts(deps, query),
    ),
  );
  router.post(
    '/admin/products',
    admin,
    route(
      {
        body: schema.createProductBody,
        status: 201,
        response: schema.adminProductResponse,
        doc: {
          summary: 'Create a product (a default variant when none is given); stock initialised per variant',
          errors: [...productRules, 'CATEGORY_NOT_FOUND', 'SKU_TAKEN'],
        },
      },
      (input) => createProduct(deps, principalOf(input), input.body),
    ),
  );
  router.get('/admin/products/:id', admin, route({ ...byId, response: schema.adminProductResponse, doc: { summary: 'A product in any status', errors: notFound } }, ({ params }) => getAdminProduct(deps, params.id)));
  router.patch(
    '/admin/products/:id',
    admin,
    route(
      { ...byId, body: schema.updateProductBody, response: schema.adminProductResponse, doc: { summary: "Change a product's name, description or price; price changes are audited", errors: [...productRules, ...notFound] } },
      (input) => updateProduct(deps, principalOf(input), input.params.id, input.body),
    ),
  );
  router.delete(
    '/admin/products/:id',
    admin,
    route({ ...byId, status: 204, doc: { summary: 'Soft-delete a product: removed from carts, order history keeps it', errors: notFound } }, (input) =>
      deleteProduct(deps, principalOf(input), input.params.id),
    ),
  );
  router.post(
    '/admin/products/:id/activate',
    admin,
    route({ ...byId, response: schema.adminProductResponse, doc: { summary: 'Put a product on sale', errors: notFound } }, (input) => activateProduct(deps, principalOf(input), input.params.id)),
  );
  router.post(
    '/admin/products/:id/deactivate',
    admin,
    route({ ...byId, response: schema.adminProductResponse, doc: { summary: 'Take a product off sale', errors: notFound } }, (input) => deactivateProduct(deps, principalOf(input), input.params.id)),
  );
  router.get(
    '/admin/products/:id/price-audit',
    admin,
    route(
      { ...byId, query: schema.priceAuditQuery, response: schema.priceAuditResponse, doc: { summary: "Who changed a product's price, when, from what to what; newest first", errors: notFound } },
      ({ params, query }) => listPriceAudit(deps, params.id, query),
    ),
  );
}
