import { assertFound } from '@shop/platform';
import { findReservation } from '../db/reservation.repository.js';
import { assertReleasable } from '../domain/reservation.js';
import type { InventoryDeps } from './deps.js';
import { giveBackStock } from './give-back-stock.js';
import { toReservationView } from './reservation-view.js';

export interface ReleaseReservationInput {
  orderId: string;
  reason: string;
}

/**
 * SEQ-ORDER-005 step 5 (CMD-INV-004), also the checkout saga's undo of a reservation: what the
 * order held goes back to available, whether or not it was committed. Already released: the same
 * answer, nothing changes; once shipped (deducted) there is nothing left to release.
 */
export async function releaseReservation(deps: InventoryDeps, input: ReleaseReservationInput) {
  return deps.transaction(async (tx) => {
    const reservation = await findReservation(tx, input.orderId, { forUpdate: true });
    assertFound(reservation, 'NOT_FOUND', 'this order has no reservation', { orderId: input.orderId });
    if (reservation.status === 'released') return toReservationView(reservation);
    assertReleasable(reservation);
    return toReservationView(await giveBackStock(deps, tx, reservation, input.reason, deps.now()));
  });
}
