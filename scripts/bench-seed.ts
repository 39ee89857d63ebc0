/**
 * The benchmarks' shop data: 10,000 products (or as many as asked) in the catalog as an import
 * would fill them, their copies in the cart's read model and the inventory, and the admin's cart
 * with 10 lines. Written straight into the databases: seeding through the API would take minutes.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { CatalogDatabase } from '../services/catalog/src/db/schema';
import type { Shop } from './bench-shop';

/**
 * Fills the catalog's database the way an import would: a three-level tree (3 x 4 x 4) and the
 * products spread over its leaves, one to three variants each, all active, most in stock.
 */
async function seedCatalog(db: Kysely<CatalogDatabase>, productCount: number): Promise<{ midCategory: string; productIds: string[] }> {
  // gen_random_uuid() sits in each derived table's select list, so it runs once per row.
  await sql`
    WITH roots AS (
      INSERT INTO categories (id, name, parent_id, depth, path)
      SELECT r.id, 'Bench root ' || r.n, NULL, 1, ARRAY[r.id] FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, 3) n) r
      RETURNING id, path, name
    ), mids AS (
      INSERT INTO categories (id, name, parent_id, depth, path)
      SELECT m.id, m.parent_name || ' / ' || m.n, m.parent_id, 2, m.parent_path || m.id
      FROM (SELECT gen_random_uuid() AS id, roots.id AS parent_id, roots.path AS parent_path, roots.name AS parent_name, n
            FROM roots, generate_series(1, 4) n) m
      RETURNING id, path, name
    )
    INSERT INTO categories (id, name, parent_id, depth, path)
    SELECT l.id, l.parent_name || ' / ' || l.n, l.parent_id, 3, l.parent_path || l.id
    FROM (SELECT gen_random_uuid() AS id, mids.id AS parent_id, mids.path AS parent_path, mids.name AS parent_name, n
          FROM mids, generate_series(1, 4) n) l`.execute(db);
  const leaves = (await db.selectFrom('categories').select('id').where('depth', '=', 3).orderBy('name').execute()).map((r) => r.id);
  const words = ['Mug', 'Lamp', 'Chair', 'Table', 'Shelf', 'Vase', 'Rug', 'Clock', 'Jacket', 'Kettle', 'Speaker', 'Backpack'];
  await sql`
    INSERT INTO products (id, name, description, price_amount, price_currency, category_id, status, stock_status, created_at, updated_at)
    SELECT gen_random_uuid(),
           (${words}::text[])[1 + i % ${words.length}] || ' ' || CASE WHEN i % 50 = 0 THEN 'ceramic ' ELSE '' END || 'No. ' || i,
           'Sturdy, well made and easy to care for. Ships flat and assembles in minutes. Batch ' || md5(i::text),
           100 + (i * 7919) % 50000, 'USD',
           (${leaves}::uuid[])[1 + i % ${leaves.length}],
           'active',
           (ARRAY['in_stock', 'in_stock', 'in_stock', 'low_stock', 'out_of_stock'])[1 + i % 5],
           now() - i * interval '1 minute', now() - i * interval '1 minute'
    FROM generate_series(1, ${productCount}) AS i`.execute(db);
  await sql`
    INSERT INTO variants (id, product_id, position, sku, name)
    SELECT gen_random_uuid(), p.id, v, 'BENCH-' || left(p.id::text, 13) || '-' || v, 'Variant ' || v
    FROM products p, LATERAL generate_series(1, 1 + (hashtext(p.id::text) & 3) % 3) AS v`.execute(db);
  await sql`
    INSERT INTO variant_stock (variant_id, product_id, available, low_stock_threshold, stock_status, stock_version)
    SELECT v.id, v.product_id, 20, 5, 'in_stock', 1 FROM variants v`.execute(db);
  await sql`VACUUM ANALYZE`.execute(db);
  const mid = await db.selectFrom('categories').select('id').where('depth', '=', 2).orderBy('name').executeTakeFirstOrThrow();
  const ids = await db.selectFrom('products').select('id').orderBy(sql`random()`).limit(500).execute();
  return { midCategory: mid.id, productIds: ids.map((r) => r.id) };
}

/**
 * Copies products into the cart's read model and stock rows into the inventory, as their events
 * would have, and fills the customer's cart with 10 of them; returns the copied variants (one a product).
 */
async function seedCartAndStock(catalogUrl: string, cartUrl: string, inventoryUrl: string, productIds: string[], customerId: string) {
  const catalog = new pg.Client({ connectionString: catalogUrl });
  const cart = new pg.Client({ connectionString: cartUrl });
  const inventory = new pg.Client({ connectionString: inventoryUrl });
  await Promise.all([catalog.connect(), cart.connect(), inventory.connect()]);
  try {
    const { rows } = await catalog.query<{ product_id: string; name: string; variant_id: string; sku: string; variant_name: string; price_amount: number }>(
      `SELECT DISTINCT ON (p.id) p.id AS product_id, p.name, v.id AS variant_id, v.sku, v.name AS variant_name, p.price_amount
       FROM products p JOIN variants v ON v.product_id = p.id WHERE p.id = ANY($1::uuid[]) ORDER BY p.id, v.position`,
      [productIds],
    );
    for (const row of rows) {
      await cart.query(`INSERT INTO catalog_products (product_id, name, status, version) VALUES ($1, $2, 'active', 1)`, [row.product_id, row.name]);
      await cart.query(`INSERT INTO catalog_variants (variant_id, product_id, sku, name, price_amount, price_currency, position) VALUES ($1, $2, $3, $4, $5, 'USD', 0)`, [
        row.variant_id,
        row.product_id,
        row.sku,
        row.variant_name,
        row.price_amount,
      ]);
      await cart.query(`INSERT INTO variant_stock (variant_id, available, stock_status, stock_version) VALUES ($1, 1000000, 'in_stock', 1)`, [row.variant_id]);
      await inventory.query(
        `INSERT INTO stock_items (id, variant_id, product_id, product_name, product_name_at, on_hand, low_stock_threshold) VALUES (gen_random_uuid(), $1, $2, $3, now(), 1000000, 5)`,
        [row.variant_id, row.product_id, row.name],
      );
    }
    const { rows: carts } = await cart.query<{ id: string }>(`INSERT INTO carts (id, customer_id) VALUES (gen_random_uuid(), $1) RETURNING id`, [customerId]);
    for (const row of rows.slice(0, 10)) {
      await cart.query(`INSERT INTO cart_items (id, cart_id, product_id, variant_id, quantity, changed_version) VALUES (gen_random_uuid(), $1, $2, $3, 2, 1)`, [carts[0]!.id, row.product_id, row.variant_id]);
    }
    return rows.map((r) => ({ productId: r.product_id, variantId: r.variant_id }));
  } finally {
    await Promise.all([catalog.end(), cart.end(), inventory.end()]);
  }
}


/** The shop's products and a customer's cart, as an import would fill them. */
export async function seedShop(shop: Shop, productCount: number) {
  process.stdout.write(`seeding ${productCount.toLocaleString('en-US')} products ... `);
  const catalogUrl = shop.processes.catalog.databaseUrl!;
  const seedPool = new pg.Pool({ connectionString: catalogUrl, max: 1 });
  const seedDb = new Kysely<CatalogDatabase>({ dialect: new PostgresDialect({ pool: seedPool }) });
  const { midCategory, productIds } = await seedCatalog(seedDb, productCount).finally(() => seedDb.destroy());
  const login = await fetch(`${shop.apiUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(shop.admin) });
  const { accessToken, customer } = (await login.json()) as { accessToken: string; customer: { id: string } };
  await seedCartAndStock(catalogUrl, shop.processes.cart.databaseUrl!, shop.processes.inventory.databaseUrl!, productIds, customer.id);
  process.stdout.write('done\n');
  return { midCategory, productIds, accessToken };
}
