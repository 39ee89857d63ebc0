import { runMain } from '@shop/platform';
import { loadPaymentConfig } from './config.js';
import { startPaymentService } from './service.js';

await runMain('payment', loadPaymentConfig, startPaymentService);
