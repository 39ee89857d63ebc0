import { runMain } from '@shop/platform';
import { loadCartConfig } from './config';
import { startCartService } from './service';

await runMain('cart', loadCartConfig, startCartService);
