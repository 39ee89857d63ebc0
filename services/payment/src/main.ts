import { runMain } from '@shop/platform';
import { loadPaymentConfig } from './config';
import { startPaymentService } from './service';

await runMain('payment', loadPaymentConfig, startPaymentService);
