import Joi from 'joi';
import { AppError } from '@shop/platform';

const emailFormat = Joi.string().max(254).email({ tlds: false, minDomainSegments: 2 });

/** INV-CUST-003: a well-formed address, compared case-insensitively (stored lower-case). */
export function toEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (emailFormat.validate(email).error) throw new AppError('INVALID_EMAIL', 'the e-mail address is not valid');
  return email;
}
