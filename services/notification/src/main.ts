import { runMain } from '@shop/platform';
import { loadNotificationConfig } from './config';
import { startNotificationService } from './service';

await runMain('notification', loadNotificationConfig, startNotificationService);
