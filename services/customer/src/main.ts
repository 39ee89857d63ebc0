import { runMain } from '@shop/platform';
import { loadCustomerConfig } from './config';
import { startCustomerService } from './service';

await runMain('customer', loadCustomerConfig, startCustomerService);
