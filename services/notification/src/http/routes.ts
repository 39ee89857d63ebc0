import type { Router } from 'express';
import { adminNotificationRoutes } from './admin-notification.routes.js';

/**
 * Every route of the notification worker (staff's review of mails): what the worker mounts, and
 * what the API documents are built from.
 */
export function mountRoutes(router: Router, deps: Parameters<typeof adminNotificationRoutes>[1]): void {
  adminNotificationRoutes(router, deps);
}
