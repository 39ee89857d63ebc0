import type { Customer } from '../domain/customer.js';

/** The customer as clients see it (never the password hash). */
export function toProfile(customer: Customer) {
  return {
    id: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    status: customer.status,
    role: customer.role,
    version: customer.version,
    createdAt: customer.createdAt.toISOString(),
    verifiedAt: customer.verifiedAt?.toISOString() ?? null,
  };
}
