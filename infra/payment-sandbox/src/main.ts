import { runMain } from '@shop/platform';
import { loadSandboxConfig } from './config.js';
import { startPaymentSandbox } from './sandbox.js';

await runMain('payment-sandbox', loadSandboxConfig, startPaymentSandbox);
