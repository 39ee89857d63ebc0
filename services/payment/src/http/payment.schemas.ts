import Joi from 'joi';
import { paymentCardKeys } from '@shop/contracts';

// Shapes and types only; the provider judges the card.
const uuid = () => Joi.string().uuid();

// A card payment sends its card (`method` absent or `card`); a PayPal one sends none: the shopper approves at the provider.
export const authorizeBody = Joi.object({
  orderId: uuid().required(),
  customerId: uuid().required(),
  amount: Joi.object({ amount: Joi.number().integer().min(1).max(100_000_000).required(), currency: Joi.string().pattern(/^[A-Z]{3}$/).required() }).required(),
  method: Joi.string().valid('card', 'paypal').default('card'),
  card: Joi.when('method', { is: 'paypal', then: Joi.forbidden(), otherwise: Joi.object(paymentCardKeys()).required() }),
});

// The pages' origins are the use case's to judge (configuration); here only their shape. The
// provider takes URLs of at most 2000 characters.
const pageUrl = () => Joi.string().max(2000);

export const paypalApprovalBody = Joi.object({
  orderId: uuid().required(),
  returnUrl: pageUrl().required(),
  cancelUrl: pageUrl().required(),
});

export const orderIdParams = Joi.object({ orderId: uuid().required() });

// Answers (API.md "payments"): what the public routes return, for the API documents.
export const paypalApprovalResponse = Joi.object({ redirectUrl: Joi.string().uri().required().description("the provider's approval page; the shopper approves or cancels there") });
export const webhookReceivedResponse = Joi.object({
  received: Joi.boolean().valid(true).required(),
  duplicate: Joi.boolean().valid(true).description('the event was taken in before: nothing changed'),
});
