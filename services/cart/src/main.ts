import { runMain } from '@shop/platform';
import { loadCartConfig } from './config.js';
import { startCartService } from './service.js';

await runMain('cart', loadCartConfig, startCartService);
