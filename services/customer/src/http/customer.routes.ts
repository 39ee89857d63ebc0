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

  router.post(
    '/customers',
    route(
      {
        body: schema.registerBody,
        status: 201,
        response: schema.registeredResponse,
        doc: { summary: 'Register: a verification e-mail is sent and a cart created', errors: ['PASSWORD_INVALID', 'INVALID_EMAIL', 'EMAIL_EXISTS'] },
      },
      ({ body }) => registerCustomer(deps, body),
    ),
  );
  router.post(
    '/customers/verify',
    route(
      {
        body: schema.verifyBody,
        response: schema.verifiedResponse,
        doc: { summary: "Verify the e-mail address with the mail's token (again after success: 200, no change)", errors: ['INVALID_TOKEN'] },
      },
      ({ body }) => verifyEmail(deps, body),
    ),
  );
  router.post(
    '/customers/verify/resend',
    route(
      {
        body: schema.resendBody,
        status: 202,
        response: schema.messageResponse,
        doc: { summary: 'Send a new verification e-mail (at most one a minute and five a day per address); always 202, whether or not the address has an account' },
      },
      ({ body }) => resendVerification(deps, body),
    ),
  );

  const signedInErrors = ['ACCOUNT_SUSPENDED'] as const;
  // signedIn answers with a CustomerPrincipal: the profile comes with it.
  router.get(
    '/customers/me',
    signedIn,
    route({ response: schema.profileResponse, doc: { summary: 'My profile', errors: signedInErrors } }, async (input) => getProfile(principalOf(input) as CustomerPrincipal)),
  );
  router.patch(
    '/customers/me',
    signedIn,
    route(
      {
        body: schema.updateProfileBody,
        response: schema.profileResponse,
        doc: { summary: 'Change my name; without expectedVersion the last write wins', errors: [...signedInErrors, 'CONFLICT', 'VALIDATION_ERROR'] },
      },
      (input) => updateProfile(deps, principalOf(input), input.body),
    ),
  );
  router.put(
    '/customers/me/email',
    signedIn,
    route(
      {
        body: schema.changeEmailBody,
        response: schema.profileResponse,
        doc: { summary: 'Change my e-mail address: unverified again, a new verification e-mail', errors: [...signedInErrors, 'INVALID_EMAIL', 'INVALID_CREDENTIALS', 'EMAIL_EXISTS'] },
      },
      (input) => changeEmail(deps, principalOf(input), input.body),
    ),
  );
  router.put(
    '/customers/me/password',
    signedIn,
    route(
      {
        body: schema.changePasswordBody,
        status: 204,
        doc: { summary: 'Change my password; every other session of mine ends at once', errors: [...signedInErrors, 'PASSWORD_INVALID', 'INVALID_CREDENTIALS'] },
      },
      (input) => changePassword(deps, principalOf(input), input.body),
    ),
  );
  router.post(
    '/customers/me/addresses',
    signedIn,
    route(
      {
        body: schema.addressBody,
        status: 201,
        response: schema.addressResponse,
        doc: { summary: 'Add a shipping address', errors: [...signedInErrors, 'COUNTRY_NOT_SUPPORTED', 'INVALID_POSTAL_CODE', 'ADDRESS_LIMIT_REACHED'] },
      },
      (input) => addAddress(deps, principalOf(input), input.body),
    ),
  );
  router.get(
    '/customers/me/addresses',
    signedIn,
    route({ response: schema.addressListResponse, doc: { summary: 'My shipping addresses', errors: signedInErrors } }, (input) => listAddresses(deps, principalOf(input))),
  );
  // 204: the account is gone, there is nothing left to show.
  router.delete(
    '/customers/me',
    signedIn,
    route(
      {
        body: schema.eraseBody,
        status: 204,
        doc: {
          summary: 'Erase my account (GDPR): personal data deleted, orders anonymized, every token of the account refused at once',
          errors: [...signedInErrors, 'PENDING_ORDERS_EXIST'],
        },
      },
      (input) => eraseCustomer(deps, principalOf(input)),
    ),
  );
}
