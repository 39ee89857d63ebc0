import type { ColumnType, Generated, OutboxTables } from '@shop/db';
import type { Address } from '@shop/contracts';
import type { OrderLine, OrderPayment, OrderStatus } from '../domain/order.js';
import type { CheckoutStatus } from '../domain/checkout.js';

type Json<T> = ColumnType<T, string, string>;

/** The order service's tables as Kysely sees them. */
export interface OrderDatabase extends OutboxTables {
  checkouts: {
    id: string;
    customer_id: string;
    idempotency_key: string | null;
    request_hash: string | null;
    status: CheckoutStatus;
    steps_started: Generated<string[]>;
    steps_done: Generated<string[]>;
    steps_compensated: Generated<string[]>;
    context: Json<Record<string, unknown>>;
    cart_id: string | null;
    cart_version: number | null;
    answer_status: number | null;
    answer_body: Json<unknown> | null;
    owner: string;
    lease_until: Date;
    attempts: Generated<number>;
    last_error: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  orders: {
    id: string;
    order_number: string;
    customer_id: string;
    email: string;
    status: OrderStatus;
    line_items: Json<OrderLine[]>;
    currency: string;
    subtotal: number;
    shipping_cost: number;
    tax: number;
    total: number;
    shipping_address: Json<Address>;
    payment: Json<OrderPayment>;
    version: Generated<number>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    confirmed_at: Date | null;
    tracking_number: string | null;
    carrier: string | null;
    shipped_at: Date | null;
    delivered_at: Date | null;
    cancelled_at: Date | null;
    cancel_reason: string | null;
  };
  carrier_events: {
    id: Generated<number>;
    tracking_number: string;
    status: string;
    order_id: string | null;
    outcome: 'applied' | 'unchanged' | 'unknown-tracking-number' | 'not-applicable';
    received_at: Date;
  };
  unmatched_tracking_numbers: {
    tracking_number: string;
    first_reported_at: Date;
  };
  order_status_history: {
    id: Generated<number>;
    order_id: string;
    from_status: OrderStatus | null;
    to_status: OrderStatus;
    at: Date;
    by: string | null;
    reason: string | null;
  };
}
