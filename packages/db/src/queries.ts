import type { SelectQueryBuilder } from 'kysely';

/** Whether an error is PostgreSQL's unique violation (23505), of this constraint when one is named. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pgError = err as { code?: string; constraint?: string };
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}

/** `?page=1&pageSize=20` as every list of API.md takes it. */
export interface PageQuery {
  page: number;
  pageSize: number;
}

/** One page of a list and how many rows the whole list has. */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * One page of `base` (its filters), ordered and selected by `rows`, and the count of all its
 * rows: two queries, run at once.
 */
export async function paginate<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, object>,
  rows: (base: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  page: PageQuery,
): Promise<Page<O>> {
  const [items, count] = await Promise.all([
    rows(base)
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as O[], total: Number((count as { total: unknown }).total) };
}
