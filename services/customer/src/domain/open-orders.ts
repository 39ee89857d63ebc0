import { AppError } from '@shop/platform';

/** An order as the customer service follows it: open until it is delivered or cancelled. */
export type TrackedOrderState = 'open' | 'closed';

/** The order events the customer service follows (`customer.order-events`). */
export type OrderEventKind = 'placed' | 'delivered' | 'cancelled';

/** What an event writes: the state, and whether it replaces a state the order already has. */
export interface OrderStateChange {
  state: TrackedOrderState;
  replaces: boolean;
}

/**
 * What an order event does to the view. The events of one order may arrive in any order (a retry,
 * a replayed parked event), so `placed` only opens an order the view does not know yet, while
 * `delivered` and `cancelled` close it whatever it was: closed is final, and a late `placed`
 * never reopens it.
 */
export function changeFor(kind: OrderEventKind): OrderStateChange {
  return kind === 'placed' ? { state: 'open', replaces: false } : { state: 'closed', replaces: true };
}

/** The state after an event, from the state before (undefined: the order is not known yet). */
export function stateAfter(current: TrackedOrderState | undefined, kind: OrderEventKind): TrackedOrderState {
  const change = changeFor(kind);
  return current === undefined || change.replaces ? change.state : current;
}

/** CMD-CUST-004: no erasure while an order is not yet delivered or cancelled (it still needs the address). */
export function assertNoPendingOrders(openOrderIds: readonly string[]): void {
  if (openOrderIds.length > 0) {
    throw new AppError('PENDING_ORDERS_EXIST', 'some of your orders are not delivered or cancelled yet; your data can be erased once they are', {
      orderIds: [...openOrderIds],
    });
  }
}
