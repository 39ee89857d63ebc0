import type { AggregateRef } from '@shop/contracts';
import { AppError, type Role } from '@shop/platform';

export type CustomerStatus = 'unverified' | 'verified' | 'suspended';

/** The Customer aggregate (seed AGG-CUSTOMER-001); `version` guards concurrent changes. */
export interface Customer {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: CustomerStatus;
  role: Role;
  version: number;
  createdAt: Date;
  verifiedAt: Date | null;
  suspendedAt: Date | null;
}

/** INV-CUST-004: unverified -> verified -> suspended, unverified -> suspended; a changed e-mail goes back to unverified. */
const transitions: Record<CustomerStatus, CustomerStatus[]> = {
  unverified: ['verified', 'suspended'],
  verified: ['suspended', 'unverified'],
  // Only a reactivation leaves a suspension, back to the status before it.
  suspended: ['unverified', 'verified'],
};

export function canTransition(from: CustomerStatus, to: CustomerStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: CustomerStatus, to: CustomerStatus): void {
  if (!canTransition(from, to)) throw new AppError('INVALID_STATUS_TRANSITION', `a ${from} customer cannot become ${to}`);
}

/** INV-CUST-005: both names present, trimmed, of sane length. */
export function toName(raw: string, field: 'firstName' | 'lastName'): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > 100) {
    throw new AppError('VALIDATION_ERROR', `${field} must be 1-100 characters`, { fields: [{ field, message: 'must be 1-100 characters' }] });
  }
  return name;
}

/** Profile, e-mail and password changes are refused once an account is suspended. */
export function assertNotSuspended(customer: Pick<Customer, 'status'>): void {
  if (customer.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED', 'this account is suspended');
}

/** SEQ-ORDER-001 step 2: only a verified account that is not suspended may order. */
export function assertMayOrder(customer: Pick<Customer, 'status'>): void {
  assertNotSuspended(customer);
  if (customer.status !== 'verified') throw new AppError('EMAIL_NOT_VERIFIED', 'verify your e-mail address before placing an order');
}

/** The customer as the aggregate its events are about, at its current version. */
export function customerAggregate(customer: Pick<Customer, 'id' | 'version'>): AggregateRef {
  return { type: 'customer', id: customer.id, version: customer.version };
}

/** An admin suspending their own account would lock out what may be the only admin. */
export function assertNotSelf(actorId: string, customerId: string): void {
  if (actorId.toLowerCase() === customerId.toLowerCase()) throw new AppError('CANNOT_SUSPEND_SELF', 'you cannot suspend your own account');
}

/** The status a suspended account returns to: the one recorded at suspension, else what its verification says. */
export function statusBeforeSuspensionOf(customer: { statusBeforeSuspension: 'unverified' | 'verified' | null; verifiedAt: Date | null }): 'unverified' | 'verified' {
  return customer.statusBeforeSuspension ?? (customer.verifiedAt ? 'verified' : 'unverified');
}

/**
 * An admin account is not erased by self-service: it may be the only one, and without it nobody
 * could run the shop until a restart recreated the bootstrap admin. Staff data is handled apart.
 */
export function assertErasable(customer: Pick<Customer, 'role'>): void {
  if (customer.role === 'admin') throw new AppError('FORBIDDEN', 'an admin account cannot erase itself; ask the shop operator');
}
