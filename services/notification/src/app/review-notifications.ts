import type { Kysely, PageQuery } from '@shop/db';
import { AppError } from '@shop/platform';
import { listNotifications, requeueFailed, type NotificationFilter } from '../db/notification.repository.js';
import type { NotificationDatabase } from '../db/schema.js';

/** GET /admin/notifications: the mails, newest first, for review (never their bodies). */
export async function reviewNotifications(db: Kysely<NotificationDatabase>, filter: NotificationFilter, page: PageQuery) {
  const { items, total } = await listNotifications(db, filter, page);
  return { items, page: page.page, pageSize: page.pageSize, total };
}

/**
 * POST /admin/notifications/:id/retry: a failed mail is sent again, once (a failure fails it
 * again). One that was sent, or is already on its way, is not sent twice.
 */
export async function retryNotification(db: Kysely<NotificationDatabase>, id: string, wake: () => void) {
  const outcome = await requeueFailed(db, id);
  if (outcome.status === undefined) throw new AppError('NOTIFICATION_NOT_FOUND', 'no such notification', { notificationId: id });
  if (!outcome.requeued) {
    const why = outcome.status === 'failed' ? 'its address was erased' : `it is ${outcome.status}`;
    throw new AppError('CONFLICT', `the notification cannot be sent again: ${why}`, { notificationId: id, status: outcome.status });
  }
  wake();
  return { id, status: 'pending' as const };
}
