import { AppError } from '@shop/platform';
import { isUniqueViolation, sql, type Kysely, type Selectable } from '@shop/db';
import type { Category } from '../domain/category.js';
import type { CatalogDatabase } from './schema.js';

type Db = Kysely<CatalogDatabase>;
type CategoryRow = Selectable<CatalogDatabase['categories']>;

function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name, parentCategoryId: row.parent_id, depth: row.depth, path: row.path, createdAt: row.created_at };
}

export async function findCategoryById(db: Db, id: string): Promise<Category | undefined> {
  const row = await db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCategory(row);
}

/** Uses the unique index on lower(name). */
export async function categoryNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('categories')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertCategory(db: Db, category: Omit<Category, 'createdAt'>): Promise<Category> {
  try {
    const row = await db
      .insertInto('categories')
      .values({ id: category.id, name: category.name, parent_id: category.parentCategoryId, depth: category.depth, path: category.path })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCategory(row);
  } catch (err) {
    // The unique index decides when two admins create the same name at once.
    if (isUniqueViolation(err, 'categories_name_key')) {
      throw new AppError('CATEGORY_NAME_TAKEN', `a category named "${category.name}" already exists`);
    }
    throw err;
  }
}

/** The whole tree is small (three levels of navigation), so it is read in one go. */
export async function listCategories(db: Db): Promise<Category[]> {
  const rows = await db.selectFrom('categories').selectAll().orderBy('depth').orderBy('name').execute();
  return rows.map(toCategory);
}

/** The category and every category below it, through the GIN index on path. */
export async function subtreeIds(db: Db, categoryId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('categories')
    .select('id')
    .where(sql<boolean>`path @> ARRAY[${categoryId}]::uuid[]`)
    .execute();
  return rows.map((r) => r.id);
}
