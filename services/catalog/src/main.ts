import { createLogger, onShutdown } from '@shop/platform';
import { loadCatalogConfig } from './config';
import { startCatalogService } from './service';

const bootLogger = createLogger('catalog');
try {
  const config = loadCatalogConfig();
  const logger = createLogger('catalog', config.LOG_LEVEL);
  const service = await startCatalogService(config, logger);
  onShutdown(logger, [{ name: 'catalog service', run: service.stop }], config.SHUTDOWN_TIMEOUT_MS);
} catch (err) {
  bootLogger.error('catalog service failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
