import { listCategories as findCategories } from '../db/category.repository';
import { toCategoryTree } from '../domain/category';
import type { CatalogDeps } from './deps';

/** The category tree for navigation: roots, each with its children, siblings by name. */
export async function listCategories(deps: CatalogDeps) {
  return { items: toCategoryTree(await findCategories(deps.db)) };
}
