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

/** A card as the shopper types it (API.md `payment`); it goes to the payment provider and is never stored. */
export interface PaymentCard {
  cardNumber: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

// A refused card field's message never quotes its value: the value is the card.
const quietly = <S extends Joi.Schema>(schema: S, message: string) => schema.messages({ '*': message }) as S;

/** The fields of a card, checked for shape only (the provider judges the card). */
export const paymentCardKeys = () => ({
  cardNumber: quietly(Joi.string().pattern(/^\d{12,19}$/).required(), 'must be 12 to 19 digits'),
  expMonth: quietly(Joi.number().integer().min(1).max(12).required(), 'must be a month, 1 to 12'),
  expYear: quietly(Joi.number().integer().min(2000).max(2100).required(), 'must be a four-digit year'),
  cvc: quietly(Joi.string().pattern(/^\d{3,4}$/).required(), 'must be 3 or 4 digits'),
});
