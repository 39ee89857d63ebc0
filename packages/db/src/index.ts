export * from './database';
export * from './migrate';
export * from './outbox';
export * from './outbox-relay';
export * from './transaction';
export { sql } from 'kysely';
export type { Kysely, Transaction, Generated, Selectable, Insertable, Updateable, ColumnType } from 'kysely';
export * from './queries';
