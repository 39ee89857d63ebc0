import type { Router } from 'express';
import { cachedRoute, requireAuth, route } from '@shop/platform';
import { createCategory } from '../app/create-category.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import { listCategories } from '../app/list-categories.use-case.js';
import * as schema from './catalog.schemas.js';

/** The category tree for shoppers (from the replica's answer cache); new categories for admins. */
export function categoryRoutes(router: Router, deps: CatalogDeps): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  router.get(
    '/categories',
    cachedRoute(() => deps.answers, { response: schema.categoryTreeResponse, doc: { summary: 'The category tree (at most three levels), sorted by name' }, key: () => 'categories' }, () => listCategories(deps)),
  );
  router.post(
    '/admin/categories',
    admin,
    route(
      {
        body: schema.categoryBody,
        status: 201,
        response: schema.categoryResponse,
        doc: { summary: 'Create a category, under a parent or at the top; depth at most 3', errors: ['CATEGORY_NAME_TAKEN', 'CATEGORY_NOT_FOUND', 'MAX_DEPTH_EXCEEDED'] },
      },
      ({ body }) => createCategory(deps, body),
    ),
  );
}
