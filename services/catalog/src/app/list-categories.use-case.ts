import { listCategories as findCategories } from '../db/category.repository.js';
import { toCategoryTree } from '../domain/category.js';
import type { CatalogDeps } from './deps.js';

/** The category tree for navigation: roots, each with its children, siblings by name. */
export async function listCategories(deps: CatalogDeps) {
  return { items: toCategoryTree(await findCategories(deps.db)) };
}
