import type { Router } from 'express';
import { requireAuth, route } from '@shop/platform';
import { createCategory } from '../app/create-category.use-case.js';
import type { CatalogDeps } from '../app/deps.js';
import { listCategories } from '../app/list-categories.use-case.js';
import * as schema from './catalog.schemas.js';

/** The category tree for shoppers; new categories for admins. */
export function categoryRoutes(router: Router, deps: CatalogDeps): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  router.get('/categories', route({}, () => listCategories(deps)));
  router.post('/admin/categories', admin, route({ body: schema.categoryBody, status: 201 }, ({ body }) => createCategory(deps, body)));
}
