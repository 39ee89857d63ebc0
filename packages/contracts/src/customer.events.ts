import Joi from 'joi';
import { defineEvent } from './define.js';
import { address, isoDate, uuid, type Address } from './common.js';

/** A sealed link, or (older events) the link and token in clear. */
const verificationLinkKeys = {
  verificationLinkSealed: Joi.string().max(2000),
  verificationUrl: Joi.string().uri(),
  verificationToken: Joi.string(),
};
const oneVerificationLink = <D>(schema: Joi.ObjectSchema<D>) => schema.xor('verificationLinkSealed', 'verificationUrl').and('verificationUrl', 'verificationToken');

export interface CustomerRegisteredV1 {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
  /**
   * The verification link (it holds the token), sealed for the notification worker (see
   * `sealSecret` in the platform): the outbox, the broker and a parked message never hold it readable.
   */
  verificationLinkSealed?: string;
  /** @deprecated the link in clear, in events published before links were sealed; read, never written. */
  verificationUrl?: string;
  /** @deprecated the token in clear, with `verificationUrl`. */
  verificationToken?: string;
  /** When the link stops working. */
  verificationExpiresAt: string;
  registeredAt: string;
}
export const customerRegistered = defineEvent<CustomerRegisteredV1>('customer.registered', 1, {
  customerId: uuid().required(),
  email: Joi.string().email({ tlds: false }).required(),
  firstName: Joi.string().required(),
  lastName: Joi.string().required(),
  ...verificationLinkKeys,
  verificationExpiresAt: isoDate().required(),
  registeredAt: isoDate().required(),
}, oneVerificationLink);

export interface CustomerVerifiedV1 {
  customerId: string;
  email: string;
  verifiedAt: string;
}
export const customerVerified = defineEvent<CustomerVerifiedV1>('customer.verified', 1, {
  customerId: uuid().required(),
  email: Joi.string().email({ tlds: false }).required(),
  verifiedAt: isoDate().required(),
});

export interface CustomerEmailChangedV1 {
  customerId: string;
  oldEmail: string;
  newEmail: string;
  firstName: string;
  /**
   * The verification link (it holds the token), sealed for the notification worker (see
   * `sealSecret` in the platform): the outbox, the broker and a parked message never hold it readable.
   */
  verificationLinkSealed?: string;
  /** @deprecated the link in clear, in events published before links were sealed; read, never written. */
  verificationUrl?: string;
  /** @deprecated the token in clear, with `verificationUrl`. */
  verificationToken?: string;
  /** When the link stops working. */
  verificationExpiresAt: string;
  changedAt: string;
}
export const customerEmailChanged = defineEvent<CustomerEmailChangedV1>('customer.email-changed', 1, {
  customerId: uuid().required(),
  oldEmail: Joi.string().email({ tlds: false }).required(),
  newEmail: Joi.string().email({ tlds: false }).required(),
  firstName: Joi.string().required(),
  ...verificationLinkKeys,
  verificationExpiresAt: isoDate().required(),
  changedAt: isoDate().required(),
}, oneVerificationLink);

export interface CustomerVerificationRequestedV1 {
  customerId: string;
  email: string;
  firstName: string;
  /**
   * The verification link (it holds the token), sealed for the notification worker (see
   * `sealSecret` in the platform): the outbox, the broker and a parked message never hold it readable.
   */
  verificationLinkSealed?: string;
  /** @deprecated the link in clear, in events published before links were sealed; read, never written. */
  verificationUrl?: string;
  /** @deprecated the token in clear, with `verificationUrl`. */
  verificationToken?: string;
  /** When the link stops working. */
  verificationExpiresAt: string;
  requestedAt: string;
}
/** A new verification link was issued on request (resend); the notification worker mails it. */
export const customerVerificationRequested = defineEvent<CustomerVerificationRequestedV1>(
  'customer.verification-requested',
  1,
  {
    customerId: uuid().required(),
    email: Joi.string().email({ tlds: false }).required(),
    firstName: Joi.string().required(),
    ...verificationLinkKeys,
    verificationExpiresAt: isoDate().required(),
    requestedAt: isoDate().required(),
  },
  oneVerificationLink,
);

export interface CustomerProfileUpdatedV1 {
  customerId: string;
  firstName: string;
  lastName: string;
  updatedAt: string;
}
export const customerProfileUpdated = defineEvent<CustomerProfileUpdatedV1>('customer.profile-updated', 1, {
  customerId: uuid().required(),
  firstName: Joi.string().required(),
  lastName: Joi.string().required(),
  updatedAt: isoDate().required(),
});

export interface CustomerPasswordChangedV1 {
  customerId: string;
  changedAt: string;
}
export const customerPasswordChanged = defineEvent<CustomerPasswordChangedV1>('customer.password-changed', 1, {
  customerId: uuid().required(),
  changedAt: isoDate().required(),
});

export interface CustomerSuspendedV1 {
  customerId: string;
  email: string;
  reason: string;
  suspendedAt: string;
}
export const customerSuspended = defineEvent<CustomerSuspendedV1>('customer.suspended', 1, {
  customerId: uuid().required(),
  email: Joi.string().email({ tlds: false }).required(),
  reason: Joi.string().allow('').required(),
  suspendedAt: isoDate().required(),
});

export interface CustomerSessionsInvalidatedV1 {
  customerId: string;
  /** Access tokens issued before this instant are rejected. */
  notBefore: string;
  /**
   * When present, only these sessions ended (a logout, a password change ending the other
   * sessions, a stolen refresh token); when absent, every session of the customer did.
   */
  sessionIds?: string[];
  /** Why: suspended, logout, password changed, refresh token reused. */
  reason?: string;
}
export const customerSessionsInvalidated = defineEvent<CustomerSessionsInvalidatedV1>(
  'customer.sessions-invalidated',
  1,
  {
    customerId: uuid().required(),
    notBefore: isoDate().required(),
    sessionIds: Joi.array().items(uuid()).max(1000),
    reason: Joi.string().max(100),
  },
);

export interface CustomerReactivatedV1 {
  customerId: string;
  /** The status the account had before its suspension. */
  status: 'unverified' | 'verified';
  reason: string;
  reactivatedBy: string;
  reactivatedAt: string;
}
export const customerReactivated = defineEvent<CustomerReactivatedV1>('customer.reactivated', 1, {
  customerId: uuid().required(),
  status: Joi.string().valid('unverified', 'verified').required(),
  reason: Joi.string().max(500).required(),
  reactivatedBy: uuid().required(),
  reactivatedAt: isoDate().required(),
});

export interface CustomerShippingAddressAddedV1 {
  customerId: string;
  addressId: string;
  address: Address;
  addedAt: string;
}
export const customerShippingAddressAdded = defineEvent<CustomerShippingAddressAddedV1>(
  'customer.shipping-address-added',
  1,
  { customerId: uuid().required(), addressId: uuid().required(), address: address().required(), addedAt: isoDate().required() },
);

export interface CustomerDataErasedV1 {
  customerId: string;
  /** The id the customer's kept history (orders, mails sent) goes by from now on, in every service alike. */
  anonymizedId: string;
  erasedAt: string;
  /**
   * The erased address, only so the notification worker can send the confirmation of the erasure;
   * consumers must not keep it (nor `firstName`).
   */
  email?: string;
  /** Whom the confirmation mail greets; only for that mail, never to be kept. */
  firstName?: string;
}
/**
 * A customer's personal data was erased (GDPR, `DELETE /customers/me`): every service that holds
 * any of it deletes or blanks it; orders keep their lines and totals under `anonymizedId`.
 */
export const customerDataErased = defineEvent<CustomerDataErasedV1>('customer.data-erased', 1, {
  customerId: uuid().required(),
  anonymizedId: uuid().required(),
  erasedAt: isoDate().required(),
  email: Joi.string().email({ tlds: false }),
  firstName: Joi.string().max(100),
});

export interface CustomerLoggedInV1 {
  customerId: string;
  /** The guest cart the shopper filled before logging in, to merge into the customer's cart. */
  guestCartId: string;
  loggedInAt: string;
}
/** Published when a login names a guest cart (`POST /auth/login` with `guestCartId`). */
export const customerLoggedIn = defineEvent<CustomerLoggedInV1>('customer.logged-in', 1, {
  customerId: uuid().required(),
  guestCartId: uuid().required(),
  loggedInAt: isoDate().required(),
});
