import type { CustomerPrincipal } from './authenticate.use-case.js';
import { toProfile } from './profile.js';

/** The signed-in customer's profile, as authentication just read it. */
export function getProfile(principal: CustomerPrincipal) {
  return toProfile(principal.customer);
}
