import { runMain } from '@shop/platform';
import { loadOrderConfig } from './config.js';
import { startOrderService } from './service.js';

await runMain('order', loadOrderConfig, startOrderService);
