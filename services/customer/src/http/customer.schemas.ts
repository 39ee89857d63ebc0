import Joi from 'joi';
import { pageOf, paginationKeys } from '@shop/platform';

// Shapes and types only; the rules of the domain (e-mail format, password strength, postal codes)
// are checked by the domain, which answers with its own error codes.
const email = Joi.string().max(254);
const password = Joi.string().max(1000);
const name = Joi.string().trim().min(1).max(100);
const token = Joi.string().max(200);

export const registerBody = Joi.object({ email: email.required(), password: password.required(), firstName: name.required(), lastName: name.required() });
export const verifyBody = Joi.object({ token: token.required() });
export const resendBody = Joi.object({ email: email.required() });
export const loginBody = Joi.object({ email: email.required(), password: password.required(), guestCartId: Joi.string().uuid() });
export const refreshBody = Joi.object({ refreshToken: token.required() });
export const updateProfileBody = Joi.object({ firstName: name, lastName: name, expectedVersion: Joi.number().integer().min(1) }).or('firstName', 'lastName');
export const changeEmailBody = Joi.object({ newEmail: email.required(), password: password.required() });
export const changePasswordBody = Joi.object({ currentPassword: password.required(), newPassword: password.required() });
export const addressBody = Joi.object({
  recipientName: Joi.string().trim().min(1).max(200).required(),
  street: Joi.string().trim().min(1).max(200).required(),
  city: Joi.string().trim().min(1).max(100).required(),
  state: Joi.string().trim().allow('').max(100).required(),
  postalCode: Joi.string().trim().min(1).max(20).required(),
  country: Joi.string().trim().length(2).required(),
});
// Erasure cannot be undone: only the literal `true` confirms it (no "true", no 1).
export const eraseBody = Joi.object({ confirmation: Joi.boolean().valid(true).required() });
export const checkoutParams = Joi.object({ customerId: Joi.string().uuid().required() });
export const checkoutBody = Joi.object({ shippingAddressId: Joi.string().uuid(), shippingAddress: addressBody }).xor('shippingAddressId', 'shippingAddress');
export const customerIdParams = Joi.object({ id: Joi.string().uuid().required() });
export const reasonBody = Joi.object({ reason: Joi.string().trim().min(1).max(500).required() });
export const listCustomersQuery = Joi.object({
  ...paginationKeys,
  status: Joi.string().valid('unverified', 'verified', 'suspended'),
  q: Joi.string().trim().min(1).max(100),
});
export const invalidationsQuery = Joi.object({ since: Joi.date().iso().required() });

// Answers (API.md "Customers and auth"): what the routes return, for the API documents.
const instant = () => Joi.string().isoDate();
const customerStatus = Joi.string().valid('unverified', 'verified', 'suspended');

export const profileResponse = Joi.object({
  id: Joi.string().uuid().required(),
  email: Joi.string().required(),
  firstName: Joi.string().required(),
  lastName: Joi.string().required(),
  status: customerStatus.required(),
  role: Joi.string().valid('customer', 'admin', 'fulfillment').required(),
  version: Joi.number().integer().min(1).required().description('send it back as expectedVersion to refuse a stale update'),
  createdAt: instant().required(),
  verifiedAt: instant().allow(null).required(),
});
export const registeredResponse = Joi.object({ customerId: Joi.string().uuid().required(), status: Joi.string().valid('unverified').required(), message: Joi.string().required() });
export const verifiedResponse = Joi.object({ status: Joi.string().valid('verified').required() });
export const messageResponse = Joi.object({ message: Joi.string().required() });
export const tokenPairResponse = Joi.object({
  accessToken: Joi.string().required().description('RS256 JWT, sent as `Authorization: Bearer <accessToken>`'),
  refreshToken: Joi.string().required().description('opaque; one use, then rotated'),
  expiresIn: Joi.number().integer().min(1).required().description("the access token's lifetime in seconds"),
});
export const loginResponse = tokenPairResponse.keys({ customer: profileResponse.required() });
export const jwksResponse = Joi.object({
  keys: Joi.array()
    .items(Joi.object({ kty: Joi.string().required(), kid: Joi.string().required(), alg: Joi.string().valid('RS256').required(), use: Joi.string().valid('sig').required() }).unknown(true))
    .required(),
});
export const addressResponse = Joi.object({
  id: Joi.string().uuid().required(),
  recipientName: Joi.string().required(),
  street: Joi.string().required(),
  city: Joi.string().required(),
  state: Joi.string().allow('').required(),
  postalCode: Joi.string().required(),
  country: Joi.string().length(2).required(),
  createdAt: instant().required(),
});
export const addressListResponse = Joi.object({ items: Joi.array().items(addressResponse).required() });
export const customerPageResponse = pageOf(profileResponse);
export const suspendedResponse = Joi.object({ status: Joi.string().valid('suspended').required(), suspendedAt: instant().allow(null).required() });
export const reactivatedResponse = Joi.object({
  status: customerStatus.required().description('the status it had before the suspension; unchanged when it was not suspended'),
  reactivatedAt: instant().allow(null).required().description('null when it was not suspended'),
});
