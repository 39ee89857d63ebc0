import type { Router } from 'express';
import { principalOf, requireAuth, route } from '@shop/platform';
import { addAddress } from '../app/add-address.use-case.js';
import { authenticate, type CustomerPrincipal } from '../app/authenticate.use-case.js';
import { changeEmail } from '../app/change-email.use-case.js';
import { changePassword } from '../app/change-password.use-case.js';
import type { CustomerDeps } from '../app/deps.js';
import { eraseCustomer } from '../app/erase-customer.use-case.js';
import { getProfile } from '../app/get-profile.use-case.js';
import { listAddresses } from '../app/list-addresses.use-case.js';
import { registerCustomer } from '../app/register-customer.use-case.js';
import { resendVerification } from '../app/resend-verification.use-case.js';
import { updateProfile } from '../app/update-profile.use-case.js';
import { verifyEmail } from '../app/verify-email.use-case.js';
import * as schema from './customer.schemas.js';

/** Registration, verification and the signed-in customer's own account. */
export function customerRoutes(router: Router, deps: CustomerDeps): void {
  const signedIn = requireAuth(authenticate(deps));

  router.post('/customers', route({ body: schema.registerBody, status: 201 }, ({ body }) => registerCustomer(deps, body)));
  router.post('/customers/verify', route({ body: schema.verifyBody }, ({ body }) => verifyEmail(deps, body)));
  router.post('/customers/verify/resend', route({ body: schema.resendBody, status: 202 }, ({ body }) => resendVerification(deps, body)));

  // signedIn answers with a CustomerPrincipal: the profile comes with it.
  router.get('/customers/me', signedIn, route({}, async (input) => getProfile(principalOf(input) as CustomerPrincipal)));
  router.patch('/customers/me', signedIn, route({ body: schema.updateProfileBody }, (input) => updateProfile(deps, principalOf(input), input.body)));
  router.put('/customers/me/email', signedIn, route({ body: schema.changeEmailBody }, (input) => changeEmail(deps, principalOf(input), input.body)));
  router.put('/customers/me/password', signedIn, route({ body: schema.changePasswordBody }, (input) => changePassword(deps, principalOf(input), input.body)));
  router.post('/customers/me/addresses', signedIn, route({ body: schema.addressBody, status: 201 }, (input) => addAddress(deps, principalOf(input), input.body)));
  router.get('/customers/me/addresses', signedIn, route({}, (input) => listAddresses(deps, principalOf(input))));
  // 204: the account is gone, there is nothing left to show.
  router.delete('/customers/me', signedIn, route({ body: schema.eraseBody }, (input) => eraseCustomer(deps, principalOf(input))));
}
