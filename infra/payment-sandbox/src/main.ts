import { runMain } from '@shop/platform';
import { loadSandboxConfig } from './config';
import { startPaymentSandbox } from './sandbox';

await runMain('payment-sandbox', loadSandboxConfig, startPaymentSandbox);
