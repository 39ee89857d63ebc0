import Joi from 'joi';
import { defineEvent } from './define.js';
import { isoDate, money, uuid, type Money } from './common.js';

export type PaymentMethod = 'card' | 'paypal';

const paymentMethod = () => Joi.string().valid('card', 'paypal');
const authorizationId = () => Joi.string().max(200);
const reason = () => Joi.string().max(500);

export interface PaymentAuthorizedV1 {
  paymentId: string;
  orderId: string;
  customerId?: string;
  amount: Money;
  authorizationId: string;
  paymentMethod: PaymentMethod;
  authorizedAt: string;
}
export const paymentAuthorized = defineEvent<PaymentAuthorizedV1>('payment.authorized', 1, {
  paymentId: uuid().required(),
  orderId: uuid().required(),
  customerId: uuid(),
  amount: money().required(),
  authorizationId: authorizationId().required(),
  paymentMethod: paymentMethod().required(),
  authorizedAt: isoDate().required(),
});

export interface PaymentCapturedV1 {
  paymentId: string;
  orderId: string;
  customerId?: string;
  amount: Money;
  authorizationId: string;
  paymentMethod: PaymentMethod;
  capturedAt: string;
}
export const paymentCaptured = defineEvent<PaymentCapturedV1>('payment.captured', 1, {
  paymentId: uuid().required(),
  orderId: uuid().required(),
  customerId: uuid(),
  amount: money().required(),
  authorizationId: authorizationId().required(),
  paymentMethod: paymentMethod().required(),
  capturedAt: isoDate().required(),
});

export interface PaymentFailedV1 {
  paymentId: string;
  orderId: string;
  customerId?: string;
  amount: Money;
  /** Absent when authorization itself failed. */
  authorizationId?: string;
  paymentMethod: PaymentMethod;
  reason: string;
  failedAt: string;
}
export const paymentFailed = defineEvent<PaymentFailedV1>('payment.failed', 1, {
  paymentId: uuid().required(),
  orderId: uuid().required(),
  customerId: uuid(),
  amount: money().required(),
  authorizationId: authorizationId(),
  paymentMethod: paymentMethod().required(),
  reason: reason().required(),
  failedAt: isoDate().required(),
});

/** An authorization released without money moving: the order was cancelled before its capture. */
export interface PaymentVoidedV1 {
  paymentId: string;
  orderId: string;
  customerId?: string;
  /** The amount that was held and is released. */
  amount: Money;
  authorizationId?: string;
  paymentMethod: PaymentMethod;
  voidedAt: string;
}
export const paymentVoided = defineEvent<PaymentVoidedV1>('payment.voided', 1, {
  paymentId: uuid().required(),
  orderId: uuid().required(),
  customerId: uuid(),
  amount: money().required(),
  authorizationId: authorizationId(),
  paymentMethod: paymentMethod().required(),
  voidedAt: isoDate().required(),
});

export interface PaymentRefundedV1 {
  paymentId: string;
  orderId: string;
  customerId?: string;
  /** The refunded amount. */
  amount: Money;
  authorizationId?: string;
  paymentMethod: PaymentMethod;
  refundId: string;
  refundedAt: string;
}
export const paymentRefunded = defineEvent<PaymentRefundedV1>('payment.refunded', 1, {
  paymentId: uuid().required(),
  orderId: uuid().required(),
  customerId: uuid(),
  amount: money().required(),
  authorizationId: authorizationId(),
  paymentMethod: paymentMethod().required(),
  refundId: Joi.string().max(200).required(),
  refundedAt: isoDate().required(),
});

export interface PaymentRefundFailedV1 {
  paymentId: string;
  orderId: string;
  customerId?: string;
  /** The amount that could not be refunded. */
  amount: Money;
  authorizationId?: string;
  paymentMethod: PaymentMethod;
  reason: string;
  failedAt: string;
}
export const paymentRefundFailed = defineEvent<PaymentRefundFailedV1>('payment.refund-failed', 1, {
  paymentId: uuid().required(),
  orderId: uuid().required(),
  customerId: uuid(),
  amount: money().required(),
  authorizationId: authorizationId(),
  paymentMethod: paymentMethod().required(),
  reason: reason().required(),
  failedAt: isoDate().required(),
});
