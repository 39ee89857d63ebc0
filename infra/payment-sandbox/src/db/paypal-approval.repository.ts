import type { Kysely, Selectable } from '@shop/db';
import type { CancelledBy, PaypalApproval } from '../paypal.js';
import type { SandboxDatabase } from './schema.js';

type Db = Kysely<SandboxDatabase>;
type ApprovalRow = Selectable<SandboxDatabase['paypal_approvals']>;

const toApproval = (row: ApprovalRow): PaypalApproval => ({
  id: row.id,
  status: row.status,
  amount: { amount: row.amount, currency: row.currency },
  reference: row.reference,
  returnUrl: row.return_url,
  cancelUrl: row.cancel_url,
  authorizationId: row.authorization_id,
  cancelledBy: row.cancelled_by,
  createdAt: row.created_at,
  approvedAt: row.approved_at,
  cancelledAt: row.cancelled_at,
});

export async function insertApproval(db: Db, approval: PaypalApproval): Promise<void> {
  await db
    .insertInto('paypal_approvals')
    .values({
      id: approval.id,
      status: approval.status,
      amount: approval.amount.amount,
      currency: approval.amount.currency,
      reference: approval.reference,
      return_url: approval.returnUrl,
      cancel_url: approval.cancelUrl,
      authorization_id: approval.authorizationId,
      cancelled_by: approval.cancelledBy,
      created_at: approval.createdAt,
      approved_at: approval.approvedAt,
      cancelled_at: approval.cancelledAt,
    })
    .execute();
}

export async function findApproval(db: Db, id: string): Promise<PaypalApproval | undefined> {
  const row = await db.selectFrom('paypal_approvals').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toApproval(row);
}

/** Every approval asked for with a reference, oldest first. */
export async function findApprovalsByReference(db: Db, reference: string): Promise<PaypalApproval[]> {
  const rows = await db.selectFrom('paypal_approvals').selectAll().where('reference', '=', reference).orderBy('created_at').orderBy('id').execute();
  return rows.map(toApproval);
}

/** The approval, locked until the transaction ends: an approval and a cancellation of it take turns. */
export async function lockApproval(db: Db, id: string): Promise<PaypalApproval | undefined> {
  const row = await db.selectFrom('paypal_approvals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toApproval(row);
}

export async function markApproved(db: Db, id: string, authorizationId: string, at: Date): Promise<PaypalApproval> {
  const row = await db
    .updateTable('paypal_approvals')
    .set({ status: 'approved', authorization_id: authorizationId, approved_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApproval(row);
}

export async function markCancelled(db: Db, id: string, by: CancelledBy, at: Date): Promise<PaypalApproval> {
  const row = await db
    .updateTable('paypal_approvals')
    .set({ status: 'cancelled', cancelled_by: by, cancelled_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApproval(row);
}
