import { createLogger, onShutdown } from '@shop/platform';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { startGateway } from './gateway';

const logger = createLogger('gateway');

let config: Readonly<GatewayConfig>;
try {
  config = loadGatewayConfig();
} catch (err) {
  logger.error('gateway not started', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
logger.level = config.LOG_LEVEL;

const gateway = await startGateway(config, logger);
onShutdown(logger, [{ name: 'gateway', run: () => gateway.stop() }], config.SHUTDOWN_TIMEOUT_MS);
