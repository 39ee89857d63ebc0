import { runMain } from '@shop/platform';
import { loadOrderConfig } from './config';
import { startOrderService } from './service';

await runMain('order', loadOrderConfig, startOrderService);
