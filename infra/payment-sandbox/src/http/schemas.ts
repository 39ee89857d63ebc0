import Joi from 'joi';
import type { Money } from '../authorization.js';

/** `{ amount: <integer minor units>, currency: "USD" }`. */
export const money = () =>
  Joi.object<Money>({
    amount: Joi.number().integer().min(1).max(100_000_000).required(),
    currency: Joi.string()
      .pattern(/^[A-Z]{3}$/)
      .required()
      .messages({ 'string.pattern.base': '{{#label}} must be three upper-case letters (ISO 4217)' }),
  });

/** The shop's order id an authorization or approval is for. */
export const reference = () => Joi.string().min(1).max(200);

export const byId = Joi.object<{ id: string }>({ id: Joi.string().max(100).required() });
export const byReference = Joi.object<{ reference: string }>({ reference: reference().required() });
