import { assertFound } from '@shop/platform';
import { commitRunningHold, findReservation, markCommitted } from '../db/reservation.repository.js';
import { assertCommittable, EXPIRED_REASON, isExpired, reservationExpired } from '../domain/reservation.js';
import type { InventoryDeps } from './deps.js';
import { giveBackStock } from './give-back-stock.js';
import { toReservationView } from './reservation-view.js';

/**
 * The order behind a hold now exists: the stock stays held until the order ships or is cancelled,
 * however long that takes. Committing again changes nothing. A hold whose time ran out is released
 * here if the sweep has not got to it yet, and either way the answer is 409 RESERVATION_EXPIRED.
 * The usual case, a hold still running, is one statement; every other goes the careful way.
 */
export async function commitReservation(deps: InventoryDeps, orderId: string) {
  const running = await commitRunningHold(deps.db, orderId, deps.now());
  if (running) {
    deps.logger.info('reservation committed', { orderId });
    return toReservationView(running);
  }
  const outcome = await deps.transaction(async (tx) => {
    const reservation = await findReservation(tx, orderId, { forUpdate: true });
    assertFound(reservation, 'NOT_FOUND', 'this order has no reservation', { orderId });
    const now = deps.now();
    if (isExpired(reservation, now)) {
      await giveBackStock(deps, tx, reservation, EXPIRED_REASON, now);
      return undefined;
    }
    assertCommittable(reservation);
    if (reservation.status !== 'reserved') return toReservationView(reservation);
    const committed = await markCommitted(tx, orderId, now);
    deps.logger.info('reservation committed', { orderId });
    return toReservationView(committed);
  });
  // The release above must commit, so the error is thrown after the transaction.
  if (!outcome) throw reservationExpired(orderId);
  return outcome;
}
