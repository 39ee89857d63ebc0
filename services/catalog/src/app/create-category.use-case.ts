import { randomUUID } from 'node:crypto';
import { categoryCreated } from '@shop/contracts';
import { AppError, assertFound } from '@shop/platform';
import { categoryNameTaken, findCategoryById, insertCategory } from '../db/category.repository.js';
import { placeUnder, toCategoryName, type Category } from '../domain/category.js';
import type { CatalogDeps } from './deps.js';

export interface CreateCategoryInput {
  name: string;
  parentCategoryId?: string;
}

/** CMD-CAT-001: a unique name, an existing parent, at most three levels; tells others it exists. */
export async function createCategory(deps: CatalogDeps, input: CreateCategoryInput) {
  const name = toCategoryName(input.name);
  return deps.transaction(async (tx) => {
    if (await categoryNameTaken(tx, name)) throw new AppError('CATEGORY_NAME_TAKEN', `a category named "${name}" already exists`);
    const parent = input.parentCategoryId === undefined ? undefined : await findParent(tx, input.parentCategoryId);
    const id = randomUUID();
    const { depth, path } = placeUnder(parent, id);

    const category = await insertCategory(tx, { id, name, parentCategoryId: parent?.id ?? null, depth, path });
    await deps.outbox.add(tx, categoryCreated, {
      categoryId: category.id,
      name: category.name,
      parentCategoryId: category.parentCategoryId,
      depth: category.depth,
      createdAt: category.createdAt.toISOString(),
    }, { type: 'category', id: category.id, version: 1 });
    deps.logger.info('category created', { categoryId: category.id, depth });
    return toCategoryView(category);
  });
}

async function findParent(tx: CatalogDeps['db'], parentCategoryId: string): Promise<Category> {
  const parent = await findCategoryById(tx, parentCategoryId);
  assertFound(parent, 'CATEGORY_NOT_FOUND', 'the parent category does not exist', { parentCategoryId });
  return parent;
}

function toCategoryView(category: Category) {
  return {
    id: category.id,
    name: category.name,
    parentCategoryId: category.parentCategoryId,
    depth: category.depth,
    createdAt: category.createdAt.toISOString(),
  };
}
