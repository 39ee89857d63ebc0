import Joi from 'joi';
import { defineEvent } from './define.js';
import { isoDate, uuid } from './common.js';

export interface NotificationSentV1 {
  notificationId: string;
  /** Id of the event that caused the mail. */
  eventId: string;
  template: string;
  to: string;
  attempts: number;
  sentAt: string;
}
export const notificationSent = defineEvent<NotificationSentV1>('notification.sent', 1, {
  notificationId: uuid().required(),
  eventId: uuid().required(),
  template: Joi.string().max(100).required(),
  to: Joi.string().email({ tlds: false }).required(),
  attempts: Joi.number().integer().min(1).required(),
  sentAt: isoDate().required(),
});

export interface NotificationFailedV1 {
  notificationId: string;
  eventId: string;
  template: string;
  to: string;
  attempts: number;
  error: string;
  failedAt: string;
}
export const notificationFailed = defineEvent<NotificationFailedV1>('notification.failed', 1, {
  notificationId: uuid().required(),
  eventId: uuid().required(),
  template: Joi.string().max(100).required(),
  to: Joi.string().email({ tlds: false }).required(),
  attempts: Joi.number().integer().min(1).required(),
  error: Joi.string().max(2000).required(),
  failedAt: isoDate().required(),
});
