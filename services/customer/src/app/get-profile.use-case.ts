import { AppError, type Principal } from '@shop/platform';
import { findCustomerById } from '../db/customer.repository';
import type { CustomerDeps } from './deps';
import { toProfile } from './profile';

export async function getProfile(deps: CustomerDeps, principal: Principal) {
  const customer = await findCustomerById(deps.db, principal.customerId);
  if (!customer) throw new AppError('UNAUTHORIZED', 'the account no longer exists');
  return toProfile(customer);
}
