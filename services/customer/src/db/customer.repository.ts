import { AppError } from '@shop/platform';
import { isUniqueViolation, paginate, sql, type Kysely, type Selectable } from '@shop/db';
import type { Customer } from '../domain/customer.js';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;
type CustomerRow = Selectable<CustomerDatabase['customers']>;

export interface StoredCustomer extends Customer {
  passwordHash: string;
  tokensNotBefore: Date | null;
  statusBeforeSuspension: 'unverified' | 'verified' | null;
}

function toCustomer(row: CustomerRow): StoredCustomer {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    role: row.role,
    version: row.version,
    createdAt: row.created_at,
    verifiedAt: row.verified_at,
    suspendedAt: row.suspended_at,
    passwordHash: row.password_hash,
    tokensNotBefore: row.tokens_not_before,
    statusBeforeSuspension: row.status_before_suspension,
  };
}

export async function findCustomerById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<StoredCustomer | undefined> {
  let query = db.selectFrom('customers').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toCustomer(row);
}

/**
 * What the customer service checks on each authenticated request, in one round trip: the
 * customer, and whether the token's session exists and is still live.
 */
export async function findCustomerWithSession(
  db: Db,
  customerId: string,
  sessionId: string,
): Promise<{ customer: StoredCustomer; sessionLive: boolean } | undefined> {
  const row = await db
    .selectFrom('customers as c')
    .leftJoin('sessions as s', (join) => join.onRef('s.customer_id', '=', 'c.id').on('s.id', '=', sessionId))
    .selectAll('c')
    .select(['s.id as session_id', 's.revoked_at as session_revoked_at'])
    .where('c.id', '=', customerId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, session_revoked_at, ...customer } = row;
  return { customer: toCustomer(customer), sessionLive: session_id !== null && session_revoked_at === null };
}

export async function findCustomerByEmail(db: Db, email: string, options: { forUpdate?: boolean } = {}): Promise<StoredCustomer | undefined> {
  let query = db.selectFrom('customers').selectAll().where('email', '=', email);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toCustomer(row);
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('customers').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

export async function insertCustomer(
  db: Db,
  customer: Pick<Customer, 'id' | 'email' | 'firstName' | 'lastName' | 'status' | 'role'> & { passwordHash: string; verifiedAt?: Date },
): Promise<StoredCustomer> {
  try {
    const row = await db
      .insertInto('customers')
      .values({
        id: customer.id,
        email: customer.email,
        password_hash: customer.passwordHash,
        first_name: customer.firstName,
        last_name: customer.lastName,
        status: customer.status,
        role: customer.role,
        verified_at: customer.verifiedAt ?? null,
        suspended_at: null,
        suspension_reason: null,
        tokens_not_before: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCustomer(row);
  } catch (err) {
    throw uniqueEmailViolation(err) ?? err;
  }
}

export interface CustomerChanges {
  email?: string;
  passwordHash?: string;
  firstName?: string;
  lastName?: string;
  status?: Customer['status'];
  verifiedAt?: Date | null;
  suspendedAt?: Date;
  suspensionReason?: string;
  tokensNotBefore?: Date;
  statusBeforeSuspension?: 'unverified' | 'verified' | null;
}

/**
 * Applies changes only if the row still has the version the caller read (optimistic locking);
 * otherwise CONFLICT. Every change bumps the version.
 */
export async function updateCustomer(db: Db, id: string, expectedVersion: number, changes: CustomerChanges): Promise<StoredCustomer> {
  try {
    const row = await db
      .updateTable('customers')
      .set((eb) => ({
        version: eb('version', '+', 1),
        ...(changes.email !== undefined && { email: changes.email }),
        ...(changes.passwordHash !== undefined && { password_hash: changes.passwordHash }),
        ...(changes.firstName !== undefined && { first_name: changes.firstName }),
        ...(changes.lastName !== undefined && { last_name: changes.lastName }),
        ...(changes.status !== undefined && { status: changes.status }),
        ...(changes.verifiedAt !== undefined && { verified_at: changes.verifiedAt }),
        ...(changes.suspendedAt !== undefined && { suspended_at: changes.suspendedAt }),
        ...(changes.suspensionReason !== undefined && { suspension_reason: changes.suspensionReason }),
        ...(changes.tokensNotBefore !== undefined && { tokens_not_before: changes.tokensNotBefore }),
        ...(changes.statusBeforeSuspension !== undefined && { status_before_suspension: changes.statusBeforeSuspension }),
      }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError('CONFLICT', 'the customer was changed by someone else; reload and try again', { expectedVersion });
    return toCustomer(row);
  } catch (err) {
    throw uniqueEmailViolation(err) ?? err;
  }
}

/** Deletes the customer; their addresses, sessions, refresh and verification tokens go with the row (ON DELETE CASCADE). */
export async function deleteCustomer(db: Db, id: string): Promise<void> {
  await db.deleteFrom('customers').where('id', '=', id).execute();
}

/**
 * Whether the customer exists, holding their row's key until the transaction ends: an erasure of
 * them (which locks the row for update) waits for this transaction, or this one for the erasure.
 */
export async function lockCustomerKey(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('customers').select('id').where('id', '=', id).forKeyShare().executeTakeFirst()) !== undefined;
}

/** The unique index backs INV-CUST-002 when two registrations race past the check. */
function uniqueEmailViolation(err: unknown): AppError | undefined {
  return isUniqueViolation(err, 'customers_email_key') ? new AppError('EMAIL_EXISTS', 'an account with this e-mail already exists') : undefined;
}

export interface CustomerListQuery {
  status?: Customer['status'];
  q?: string;
  page: number;
  pageSize: number;
}

export async function listCustomers(db: Db, query: CustomerListQuery): Promise<{ items: StoredCustomer[]; total: number }> {
  let base = db.selectFrom('customers');
  if (query.status) base = base.where('status', '=', query.status);
  if (query.q) {
    // Same expression as the trigram index customers_search_idx, so ILIKE can use it.
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(sql<string>`email || ' ' || first_name || ' ' || last_name`, 'ilike', pattern);
  }
  const { items, total } = await paginate(base, (b) => b.selectAll().orderBy('created_at', 'desc').orderBy('id'), query);
  return { items: items.map(toCustomer), total };
}
