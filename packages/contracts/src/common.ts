import Joi from 'joi';

/** Money in integer minor units with an ISO 4217 currency, never floats. */
export interface Money {
  amount: number;
  currency: string;
}

export const uuid = () => Joi.string().uuid();
export const isoDate = () => Joi.string().isoDate();
export const money = () =>
  Joi.object<Money>({
    amount: Joi.number().integer().required(),
    currency: Joi.string().length(3).uppercase().required(),
  });

export interface Address {
  recipientName: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

export const address = () =>
  Joi.object<Address>({
    recipientName: Joi.string().required(),
    street: Joi.string().required(),
    city: Joi.string().required(),
    state: Joi.string().allow('').required(),
    postalCode: Joi.string().required(),
    country: Joi.string().length(2).required(),
  });
