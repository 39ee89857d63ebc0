import { createLogger, onShutdown } from '@shop/platform';
import { loadCustomerConfig } from './config';
import { startCustomerService } from './service';

const bootLogger = createLogger('customer');
try {
  const config = loadCustomerConfig();
  const logger = createLogger('customer', config.LOG_LEVEL);
  const service = await startCustomerService(config, logger);
  onShutdown(logger, [{ name: 'customer service', run: service.stop }], config.SHUTDOWN_TIMEOUT_MS);
} catch (err) {
  bootLogger.error('customer service failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
