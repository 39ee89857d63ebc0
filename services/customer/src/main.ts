import { runMain } from '@shop/platform';
import { loadCustomerConfig } from './config.js';
import { startCustomerService } from './service.js';

await runMain('customer', loadCustomerConfig, startCustomerService);
