import { runMain } from '@shop/platform';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

await runMain('gateway', loadGatewayConfig, (config, logger) => startGateway(config, logger));
