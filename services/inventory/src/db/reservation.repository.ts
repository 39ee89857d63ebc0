import { sql, type Kysely, type Selectable } from '@shop/db';
import type { Reservation, ReservationLine, ReservationStatus } from '../domain/reservation.js';
import type { InventoryDatabase } from './schema.js';

type Db = Kysely<InventoryDatabase>;
type ReservationRow = Selectable<InventoryDatabase['reservations']>;

function toReservation(row: ReservationRow): Reservation {
  return {
    orderId: row.order_id,
    status: row.status,
    lines: row.lines,
    reservedAt: row.reserved_at,
    expiresAt: row.expires_at,
    committedAt: row.committed_at,
    releasedAt: row.released_at,
    releaseReason: row.release_reason,
    deductedAt: row.deducted_at,
    version: row.version,
  };
}

/**
 * Claims the orderId: inserts the hold, or returns undefined when the order already has one. A
 * concurrent claim of the same orderId waits here until the first transaction ends, then sees its
 * row (committed) or claims it after all (rolled back).
 */
export async function claimReservation(db: Db, orderId: string, lines: ReservationLine[], at: Date, expiresAt: Date): Promise<Reservation | undefined> {
  const row = await db
    .insertInto('reservations')
    .values({
      order_id: orderId,
      status: 'reserved',
      lines: JSON.stringify(lines) as never,
      reserved_at: at,
      expires_at: expiresAt,
      committed_at: null,
      released_at: null,
      release_reason: null,
      deducted_at: null,
    })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && toReservation(row);
}

export async function findReservation(db: Db, orderId: string, options: { forUpdate?: boolean } = {}): Promise<Reservation | undefined> {
  let query = db.selectFrom('reservations').selectAll().where('order_id', '=', orderId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toReservation(row);
}

/**
 * Up to `limit` holds whose time is up, locked; holds another replica's sweep has locked are
 * skipped, so sweeps running at once never release one twice or wait for each other.
 */
export async function lockExpiredHolds(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('reservations')
    .select('order_id')
    .where('status', '=', 'reserved')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => r.order_id);
}

/**
 * Commits the order's hold if it is still running (reserved, its time not up at `at`), in one
 * statement that locks, checks and changes the row; undefined when it is not (expired, committed
 * or released already, or no hold at all), for the caller to look at it.
 */
export async function commitRunningHold(db: Db, orderId: string, at: Date): Promise<Reservation | undefined> {
  const row = await db
    .updateTable('reservations')
    .set({ status: 'committed', committed_at: at, expires_at: null, version: sql`version + 1` })
    .where('order_id', '=', orderId)
    .where('status', '=', 'reserved')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
    .returningAll()
    .executeTakeFirst();
  return row && toReservation(row);
}

export async function markCommitted(db: Db, orderId: string, at: Date): Promise<Reservation> {
  return markStatus(db, orderId, 'committed', { committed_at: at, expires_at: null });
}

export async function markReleased(db: Db, orderId: string, reason: string, at: Date): Promise<Reservation> {
  return markStatus(db, orderId, 'released', { released_at: at, release_reason: reason });
}

export async function markDeducted(db: Db, orderId: string, at: Date): Promise<Reservation> {
  return markStatus(db, orderId, 'deducted', { deducted_at: at });
}

async function markStatus(
  db: Db,
  orderId: string,
  status: ReservationStatus,
  changes: Partial<Pick<ReservationRow, 'released_at' | 'release_reason' | 'deducted_at' | 'committed_at' | 'expires_at'>>,
) {
  const row = await db
    .updateTable('reservations')
    .set({ status, ...changes, version: sql`version + 1` })
    .where('order_id', '=', orderId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toReservation(row);
}
