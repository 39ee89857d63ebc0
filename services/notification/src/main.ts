import { runMain } from '@shop/platform';
import { loadNotificationConfig } from './config.js';
import { startNotificationService } from './service.js';

await runMain('notification', loadNotificationConfig, startNotificationService);
