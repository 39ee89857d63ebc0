import type { Kysely, Selectable } from '@shop/db';
import type { Reservation, ReservationLine, ReservationStatus } from '../domain/reservation';
import type { InventoryDatabase } from './schema';

type Db = Kysely<InventoryDatabase>;
type ReservationRow = Selectable<InventoryDatabase['reservations']>;

function toReservation(row: ReservationRow): Reservation {
  return {
    orderId: row.order_id,
    status: row.status,
    lines: row.lines,
    reservedAt: row.reserved_at,
    releasedAt: row.released_at,
    deductedAt: row.deducted_at,
  };
}

/**
 * Claims the orderId: inserts the reservation, or returns undefined when the order already has
 * one. A concurrent claim of the same orderId waits here until the first transaction ends, then
 * sees its row (committed) or claims it after all (rolled back).
 */
export async function claimReservation(db: Db, orderId: string, lines: ReservationLine[], at: Date): Promise<Reservation | undefined> {
  const row = await db
    .insertInto('reservations')
    .values({ order_id: orderId, status: 'reserved', lines: JSON.stringify(lines) as never, reserved_at: at, released_at: null, release_reason: null, deducted_at: null })
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

export async function markReleased(db: Db, orderId: string, reason: string, at: Date): Promise<Reservation> {
  return markStatus(db, orderId, 'released', { released_at: at, release_reason: reason });
}

export async function markDeducted(db: Db, orderId: string, at: Date): Promise<Reservation> {
  return markStatus(db, orderId, 'deducted', { deducted_at: at });
}

async function markStatus(db: Db, orderId: string, status: ReservationStatus, changes: Partial<Pick<ReservationRow, 'released_at' | 'release_reason' | 'deducted_at'>>) {
  const row = await db.updateTable('reservations').set({ status, ...changes }).where('order_id', '=', orderId).returningAll().executeTakeFirstOrThrow();
  return toReservation(row);
}
