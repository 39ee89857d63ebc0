import { findReservation, lockExpiredHolds } from '../db/reservation.repository.js';
import { EXPIRED_REASON } from '../domain/reservation.js';
import type { InventoryDeps } from './deps.js';
import { giveBackStock } from './give-back-stock.js';

/**
 * Releases holds that no order committed before they expired, a batch per transaction, until none
 * is left. Safe with several replicas sweeping at once: each locks the holds it takes and skips
 * those another has locked. Resolves with how many it released.
 */
export async function expireReservations(deps: InventoryDeps, batchSize = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const released = await deps.transaction(async (tx) => {
      const now = deps.now();
      const orderIds = await lockExpiredHolds(tx, now, batchSize);
      for (const orderId of orderIds) {
        const reservation = await findReservation(tx, orderId);
        if (reservation) await giveBackStock(deps, tx, reservation, EXPIRED_REASON, now);
      }
      return orderIds.length;
    });
    total += released;
    if (released < batchSize) return total;
  }
}
