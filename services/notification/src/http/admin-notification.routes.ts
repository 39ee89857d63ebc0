import type { Router } from 'express';
import Joi from 'joi';
import type { Kysely } from '@shop/db';
import { paginationKeys, requireAuth, route, type TokenVerifier } from '@shop/platform';
import { retryNotification, reviewNotifications } from '../app/review-notifications.js';
import type { NotificationDatabase } from '../db/schema.js';
import { templateNames } from '../domain/mail-templates.js';

const listQuery = Joi.object({
  ...paginationKeys,
  status: Joi.string().valid('pending', 'sending', 'sent', 'failed', 'cancelled'),
  template: Joi.string().valid(...templateNames),
});
const idParams = Joi.object({ id: Joi.string().uuid().required() });

/** Staff's review of mails (API.md): the list, and sending a failed one again. */
export function adminNotificationRoutes(router: Router, deps: { db: Kysely<NotificationDatabase>; verifyToken: TokenVerifier; wakeDispatcher: () => void }): void {
  const admin = requireAuth(deps.verifyToken, ['admin']);
  router.get(
    '/admin/notifications',
    admin,
    route({ query: listQuery }, ({ query }) => reviewNotifications(deps.db, { status: query.status, template: query.template }, { page: query.page, pageSize: query.pageSize })),
  );
  router.post('/admin/notifications/:id/retry', admin, route({ params: idParams }, ({ params }) => retryNotification(deps.db, params.id, deps.wakeDispatcher)));
}
