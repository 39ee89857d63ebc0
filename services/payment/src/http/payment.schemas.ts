import Joi from 'joi';
import { paymentCardKeys } from '@shop/contracts';

// Shapes and types only; the provider judges the card.
const uuid = () => Joi.string().uuid();

export const authorizeBody = Joi.object({
  orderId: uuid().required(),
  customerId: uuid().required(),
  amount: Joi.object({ amount: Joi.number().integer().min(1).max(100_000_000).required(), currency: Joi.string().pattern(/^[A-Z]{3}$/).required() }).required(),
  card: Joi.object(paymentCardKeys()).required(),
});

export const orderIdParams = Joi.object({ orderId: uuid().required() });
