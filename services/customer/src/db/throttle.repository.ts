import { sql, type Kysely } from '@shop/db';
import type { CustomerDatabase } from './schema.js';

type Db = Kysely<CustomerDatabase>;

/** Failed logins of an address within its current window; undefined when none. */
export async function findLoginFailures(db: Db, emailHash: Buffer) {
  return db.selectFrom('login_failures').select(['failures', 'window_started_at']).where('email_hash', '=', emailHash).executeTakeFirst();
}

/** Counts a failed login: one more in the current window, or the first of a new one once it is over. */
export async function recordLoginFailure(db: Db, emailHash: Buffer, at: Date, windowSeconds: number): Promise<void> {
  await sql`
    INSERT INTO login_failures (email_hash, failures, window_started_at, last_failed_at) VALUES (${emailHash}, 1, ${at}, ${at})
    ON CONFLICT (email_hash) DO UPDATE SET
      failures = CASE WHEN login_failures.window_started_at > ${at}::timestamptz - make_interval(secs => ${windowSeconds}::double precision)
        THEN login_failures.failures + 1 ELSE 1 END,
      window_started_at = CASE WHEN login_failures.window_started_at > ${at}::timestamptz - make_interval(secs => ${windowSeconds}::double precision)
        THEN login_failures.window_started_at ELSE ${at} END,
      last_failed_at = ${at}`.execute(db);
}

export async function clearLoginFailures(db: Db, emailHash: Buffer): Promise<void> {
  await db.deleteFrom('login_failures').where('email_hash', '=', emailHash).execute();
}

/** Forgets an address's failed logins and verification mails (its data was erased). */
export async function forgetAddressLimits(db: Db, emailHash: Buffer): Promise<void> {
  await db.deleteFrom('login_failures').where('email_hash', '=', emailHash).execute();
  await db.deleteFrom('verification_mails').where('email_hash', '=', emailHash).execute();
}

/** Verification mails sent to an address since `since`, newest first. */
export async function verificationMailsSince(db: Db, emailHash: Buffer, since: Date): Promise<Date[]> {
  const rows = await db.selectFrom('verification_mails').select('sent_at').where('email_hash', '=', emailHash).where('sent_at', '>=', since).orderBy('sent_at', 'desc').execute();
  return rows.map((r) => r.sent_at);
}

export async function recordVerificationMail(db: Db, emailHash: Buffer, at: Date): Promise<void> {
  await db.insertInto('verification_mails').values({ email_hash: emailHash, sent_at: at }).execute();
}

/** Forgets failures and mails older than any limit looks back. */
export async function pruneLimits(db: Db, loginWindowSeconds: number): Promise<void> {
  await sql`DELETE FROM login_failures WHERE last_failed_at < now() - make_interval(secs => ${loginWindowSeconds}::double precision)`.execute(db);
  await sql`DELETE FROM verification_mails WHERE sent_at < now() - interval '1 day'`.execute(db);
}
