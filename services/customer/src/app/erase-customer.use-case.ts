import { randomUUID } from 'node:crypto';
import { customerDataErased } from '@shop/contracts';
import { assertFound, type Principal } from '@shop/platform';
import { deleteCustomer, findCustomerById } from '../db/customer.repository.js';
import { recordErasure } from '../db/erased-customer.repository.js';
import { forgetCustomerOrders, listOpenOrders } from '../db/open-order.repository.js';
import { forgetAddressLimits } from '../db/throttle.repository.js';
import { assertErasable, customerAggregate } from '../domain/customer.js';
import { assertNoPendingOrders } from '../domain/open-orders.js';
import { hashToken } from '../domain/tokens.js';
import type { CustomerDeps } from './deps.js';
import { announceAllSessionsEnded } from './session-ends.js';

/**
 * CMD-CUST-004 (GDPR erasure), in one transaction: no open order (the view the order events keep),
 * then the customer's row goes with their names, e-mail, password hash, addresses, sessions and
 * tokens, and their address's login and mail limits; a tombstone keeps only the id and the time.
 * The gateway hears that every session ended, and `customer.data-erased` has the other services
 * forget the customer (orders keep lines and totals under a new anonymous id). The address is
 * free to register again at once.
 */
export async function eraseCustomer(deps: CustomerDeps, principal: Principal): Promise<void> {
  await deps.transaction(async (tx) => {
    const customer = await findCustomerById(tx, principal.customerId, { forUpdate: true });
    // Erased by a request of theirs that committed while this one waited.
    assertFound(customer, 'UNAUTHORIZED', 'the session has ended; log in again');
    assertErasable(customer);
    assertNoPendingOrders(await listOpenOrders(tx, customer.id));

    const at = deps.now();
    const erased = customerAggregate({ id: customer.id, version: customer.version + 1 });
    await forgetAddressLimits(tx, hashToken(customer.email));
    await deleteCustomer(tx, customer.id);
    await forgetCustomerOrders(tx, customer.id);
    await recordErasure(tx, customer.id, at);
    await announceAllSessionsEnded(deps, tx, erased, { reason: 'erased', at });
    await deps.outbox.add(
      tx,
      customerDataErased,
      { customerId: customer.id, anonymizedId: randomUUID(), erasedAt: at.toISOString(), email: customer.email, firstName: customer.firstName },
      erased,
    );
  });
  deps.logger.info('customer data erased', { customerId: principal.customerId });
}
