import { expect } from 'chai';
import { CompiledQuery } from 'kysely';
import { sql, type Kysely } from '@shop/db';
import { createCategory } from '../src/app/create-category.use-case';
import { subtreeIds } from '../src/db/category.repository';
import { browseQueries, type BrowseQuery } from '../src/db/product.repository';
import type { CatalogDatabase } from '../src/db/schema';
import { startCatalogFixture, type CatalogFixture } from './catalog.fixture';

/** EXPLAIN of a Kysely query, with its parameters bound as the route binds them. */
async function planOf(db: Kysely<CatalogDatabase>, query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string> {
  const compiled = query.compile();
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]));
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe('catalog service: shopper queries use indexes', function () {
  this.timeout(60_000);
  const PRODUCTS = 6000;
  let f: CatalogFixture;
  let db: Kysely<CatalogDatabase>;
  let midCategory: string;
  let leafCategory: string;
  let rootCategory: string;

  before(async () => {
    f = await startCatalogFixture();
    db = f.service.deps.db;
    // Three levels, three children each: 39 categories.
    const leaves: string[] = [];
    for (let r = 0; r < 3; r += 1) {
      const root = await createCategory(f.service.deps, { name: `Root ${r}` });
      for (let c = 0; c < 3; c += 1) {
        const child = await createCategory(f.service.deps, { name: `Child ${r}.${c}`, parentCategoryId: root.id });
        leaves.push(child.id);
        for (let g = 0; g < 3; g += 1) leaves.push((await createCategory(f.service.deps, { name: `Leaf ${r}.${c}.${g}`, parentCategoryId: child.id })).id);
      }
      rootCategory = root.id;
    }
    midCategory = leaves[0] as string;
    leafCategory = leaves[1] as string;
    const categoryIds = [f.categoryId, ...leaves];

    // A realistic catalog in one statement: mostly active, some drafts, inactive and deleted
    // products, descriptions of a few sentences, one product in a hundred made of ceramic.
    await sql`
      INSERT INTO products (id, name, description, price_amount, price_currency, category_id, status, created_at, updated_at, deleted_at)
      SELECT gen_random_uuid(),
             (ARRAY['Mug', 'Lamp', 'Chair', 'Table', 'Shelf', 'Vase', 'Rug', 'Clock'])[1 + i % 8] || ' ' ||
               CASE WHEN i % 100 = 0 THEN 'ceramic ' ELSE '' END || md5(i::text),
             repeat('Sturdy, well made and easy to care for. Ships flat and assembles in minutes. ', 3) || md5((i * 7)::text),
             1 + (i * 7919) % 100000,
             'USD',
             (${categoryIds}::uuid[])[1 + i % ${categoryIds.length}],
             CASE WHEN i % 20 = 0 THEN 'draft' WHEN i % 20 = 1 THEN 'inactive' ELSE 'active' END,
             now() - i * interval '1 minute',
             now() - i * interval '1 minute',
             CASE WHEN i % 50 = 7 THEN now() ELSE NULL END
      FROM generate_series(1, ${PRODUCTS}) AS i`.execute(db);
    await sql`VACUUM ANALYZE products`.execute(db);
    await sql`ANALYZE categories`.execute(db);
  });
  after(() => f.stop());

  const base: BrowseQuery = { sort: '-createdAt', page: 1, pageSize: 20 };
  const cases: Array<[string, () => Promise<BrowseQuery>]> = [
    ['the default sort, no filter', async () => base],
    ['a category filter (a category with sub-categories)', async () => ({ ...base, categoryIds: await subtreeIds(db, midCategory) })],
    ['a category filter (a leaf category)', async () => ({ ...base, categoryIds: await subtreeIds(db, leafCategory) })],
    ['a category filter (a root category, a third of the catalog)', async () => ({ ...base, categoryIds: await subtreeIds(db, rootCategory) })],
    ['a text query', async () => ({ ...base, q: 'ceramic' })],
    ['a text query and a category filter sorted by price', async () => ({ ...base, q: 'ceramic', categoryIds: await subtreeIds(db, rootCategory), sort: 'price' })],
    ['sort by price', async () => ({ ...base, sort: 'price' })],
    ['sort by -price', async () => ({ ...base, sort: '-price' })],
    ['sort by name', async () => ({ ...base, sort: 'name' })],
    ['a narrow price range', async () => ({ ...base, minPrice: 1000, maxPrice: 2000, sort: 'price' })],
    ['a later page', async () => ({ ...base, page: 5, pageSize: 100 })],
  ];

  for (const [label, build] of cases) {
    it(`when shoppers browse with ${label}, then neither the page nor its total scans the products table`, async () => {
      const { page, count } = browseQueries(db, await build());
      for (const [part, query] of [
        ['page', page],
        ['count', count],
      ] as const) {
        const plan = await planOf(db, query);
        if (process.env.SHOW_PLANS) process.stdout.write(`${label} ${part}\n${plan}\n\n`);
        expect(plan, `${part}:\n${plan}`).not.to.match(/Seq Scan on products/);
        expect(plan, `${part}:\n${plan}`).to.match(/products_listed_\w+_idx/);
      }
    });
  }
});
