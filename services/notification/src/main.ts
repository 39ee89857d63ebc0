import { createLogger, onShutdown } from '@shop/platform';
import { loadNotificationConfig, type NotificationConfig } from './config';
import { startNotificationService } from './service';

let config: Readonly<NotificationConfig> | undefined;
try {
  config = loadNotificationConfig();
} catch (err) {
  createLogger('notification').error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}

if (config) {
  const logger = createLogger('notification', config.LOG_LEVEL);
  try {
    const service = await startNotificationService(config, logger);
    onShutdown(logger, [{ name: 'service', run: service.stop }], config.SHUTDOWN_TIMEOUT_MS);
  } catch (err) {
    logger.error('notification worker failed to start', { error: err instanceof Error ? err.stack : String(err) });
    process.exit(1);
  }
}
