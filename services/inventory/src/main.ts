import { createLogger, onShutdown } from '@shop/platform';
import { loadInventoryConfig } from './config';
import { startInventoryService } from './service';

const bootLogger = createLogger('inventory');
try {
  const config = loadInventoryConfig();
  const logger = createLogger('inventory', config.LOG_LEVEL);
  const service = await startInventoryService(config, logger);
  onShutdown(logger, [{ name: 'inventory service', run: service.stop }], config.SHUTDOWN_TIMEOUT_MS);
} catch (err) {
  bootLogger.error('inventory service failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
