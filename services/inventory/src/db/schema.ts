import type { Generated, OutboxTables } from '@shop/db';
import type { ReservationLine, ReservationStatus } from '../domain/reservation.js';
import type { StockOrigin } from '../domain/stock.js';

export type StockAction = 'initialized' | 'quantity_set' | 'adjusted' | 'restocked' | 'threshold_set' | 'reserved' | 'released' | 'deducted';

/** The inventory service's tables as Kysely sees them. */
export interface InventoryDatabase extends OutboxTables {
  stock_items: {
    id: string;
    variant_id: string;
    product_id: string;
    product_name: string | null;
    product_name_at: Date;
    sku: string | null;
    on_hand: number;
    reserved: Generated<number>;
    low_stock_threshold: number;
    version: Generated<number>;
    low_stock_alerted: Generated<boolean>;
    out_of_stock_alerted: Generated<boolean>;
    origin: Generated<StockOrigin>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  reservations: {
    order_id: string;
    status: ReservationStatus;
    lines: ReservationLine[];
    reserved_at: Generated<Date>;
    released_at: Date | null;
    release_reason: string | null;
    deducted_at: Date | null;
    expires_at: Date | null;
    committed_at: Date | null;
    version: Generated<number>;
  };
  stock_audit: {
    id: Generated<number>;
    variant_id: string;
    action: StockAction;
    previous: number;
    new: number;
    delta: number;
    reason: string | null;
    user_id: string | null;
    order_id: string | null;
    at: Generated<Date>;
  };
}
