export * from './database.js';
export * from './migrate.js';
export * from './outbox.js';
export * from './outbox-relay.js';
export * from './transaction.js';
export * from './change-notifications.js';
export { sql } from 'kysely';
export type { Kysely, Transaction, Generated, Selectable, Insertable, Updateable, ColumnType } from 'kysely';
export * from './queries.js';
