import type { Kysely, Selectable } from '@shop/db';
import type { Authorization, PaymentBrand, Refund } from '../authorization.js';
import type { DeclineCode, LaterFailure } from '../cards.js';
import type { SandboxDatabase } from './schema.js';

type Db = Kysely<SandboxDatabase>;
type AuthorizationRow = Selectable<SandboxDatabase['authorizations']>;

const toAuthorization = (row: AuthorizationRow): Authorization => ({
  id: row.id,
  status: row.status,
  amount: { amount: row.amount, currency: row.currency },
  reference: row.reference,
  brand: row.brand as PaymentBrand,
  last4: row.last4,
  declineCode: row.decline_code as DeclineCode | null,
  laterFailure: row.later_failure as LaterFailure | null,
  capturedAmount: row.captured_amount,
  refundedAmount: row.refunded_amount,
  createdAt: row.created_at,
  capturedAt: row.captured_at,
  voidedAt: row.voided_at,
});

export async function insertAuthorization(db: Db, authorization: Authorization): Promise<void> {
  await db
    .insertInto('authorizations')
    .values({
      id: authorization.id,
      status: authorization.status,
      amount: authorization.amount.amount,
      currency: authorization.amount.currency,
      reference: authorization.reference,
      brand: authorization.brand,
      last4: authorization.last4,
      decline_code: authorization.declineCode,
      later_failure: authorization.laterFailure,
      captured_amount: authorization.capturedAmount,
      refunded_amount: authorization.refundedAmount,
      created_at: authorization.createdAt,
      captured_at: authorization.capturedAt,
      voided_at: authorization.voidedAt,
    })
    .execute();
}

export async function findAuthorization(db: Db, id: string): Promise<Authorization | undefined> {
  const row = await db.selectFrom('authorizations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAuthorization(row);
}

/** Every authorization made with a reference, oldest first. */
export async function findAuthorizationsByReference(db: Db, reference: string): Promise<Authorization[]> {
  const rows = await db.selectFrom('authorizations').selectAll().where('reference', '=', reference).orderBy('created_at').orderBy('id').execute();
  return rows.map(toAuthorization);
}

/** The authorization, locked until the transaction ends: captures, voids and refunds of it take turns. */
export async function lockAuthorization(db: Db, id: string): Promise<Authorization | undefined> {
  const row = await db.selectFrom('authorizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toAuthorization(row);
}

export async function markCaptured(db: Db, id: string, amount: number, at: Date): Promise<Authorization> {
  const row = await db
    .updateTable('authorizations')
    .set({ status: 'captured', captured_amount: amount, captured_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuthorization(row);
}

export async function markCaptureFailed(db: Db, id: string): Promise<Authorization> {
  const row = await db.updateTable('authorizations').set({ status: 'capture_failed' }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toAuthorization(row);
}

export async function markVoided(db: Db, id: string, at: Date): Promise<Authorization> {
  const row = await db.updateTable('authorizations').set({ status: 'voided', voided_at: at }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toAuthorization(row);
}

/** Adds a successful refund to the refunded total (the table's check keeps it within the captured amount). */
export async function addRefunded(db: Db, id: string, amount: number): Promise<Authorization> {
  const row = await db
    .updateTable('authorizations')
    .set((eb) => ({ refunded_amount: eb('refunded_amount', '+', amount) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuthorization(row);
}

export async function insertRefund(db: Db, refund: Refund): Promise<void> {
  await db
    .insertInto('refunds')
    .values({ id: refund.id, authorization_id: refund.authorizationId, amount: refund.amount, status: refund.status, created_at: refund.createdAt })
    .execute();
}

/** The refunds of an authorization, oldest first. */
export async function listRefunds(db: Db, authorizationId: string): Promise<Refund[]> {
  const rows = await db.selectFrom('refunds').selectAll().where('authorization_id', '=', authorizationId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, authorizationId: row.authorization_id, amount: row.amount, status: row.status, createdAt: row.created_at }));
}
