import { runMain } from '@shop/platform';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';

await runMain('gateway', loadGatewayConfig, (config, logger) => startGateway(config, logger));
