import type { Router } from 'express';
import Joi from 'joi';
import type { Kysely } from '@shop/db';
import { pageOf, paginationKeys, requireAuth, route, type TokenVerifier } from '@shop/platform';
import { retryNotification, reviewNotifications } from '../app/review-notifications.js';
import type { NotificationDatabase } from '../db/schema.js';
import { templateNames } from '../domain/mail-templates.js';

const listQuery = Joi.object({
  ...paginationKeys,
  status: Joi.string().valid('pending', 'sending', 'sent', 'failed', 'cancelled'),
  template: Joi.string().valid(...templateNames),
});
const idParams = Joi.object({ id: Joi.string().uuid().required() });

const instant = () => Joi.string().isoDate();
/** A mail as staff review it (never its body). */
const mailSummary = Joi.object({
  id: Joi.string().uuid().required(),
  eventId: Joi.string().uuid().required().description('the event the mail was written for'),
  eventType: Joi.string().required(),
  template: Joi.string()
    .valid(...templateNames)
    .required(),
  recipient: Joi.string().allow('').required().description("blank once an erased customer's last mail is sent or given up on"),
  subject: Joi.string().required(),
  status: Joi.string().valid('pending', 'sending', 'sent', 'failed', 'cancelled').required(),
  attempts: Joi.number().integer().min(0).required(),
  error: Joi.string().allow(null).required(),
  createdAt: instant().required(),
  sentAt: instant().allow(null).required(),
  failedAt: instant().allow(null).required(),
});
const retriedResponse = Joi.object({ id: Joi.string().uuid().required(), status: Joi.string().valid('pending').required() });

/** Staff's review of mails (API.md): the list, and sending a failed one again. */
export function adminNotificationRoutes(router: Router, deps: { db: Kysely<NotificationDatabase>; verifyToken: TokenVerifier; wakeDispatcher: () => void }): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  router.get(
    '/admin/notifications',
    admin,
    route(
      { query: listQuery, response: pageOf(mailSummary), doc: { summary: 'Mails, newest first, paginated: by status (failed ones need review) and template' } },
      ({ query }) => reviewNotifications(deps.db, { status: query.status, template: query.template }, { page: query.page, pageSize: query.pageSize }),
    ),
  );
  router.post(
    '/admin/notifications/:id/retry',
    admin,
    route(
      { params: idParams, response: retriedResponse, doc: { summary: 'Send a failed mail again, once', errors: ['NOTIFICATION_NOT_FOUND', 'CONFLICT'] } },
      ({ params }) => retryNotification(deps.db, params.id, deps.wakeDispatcher),
    ),
  );
}
