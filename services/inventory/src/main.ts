import { runMain } from '@shop/platform';
import { loadInventoryConfig } from './config.js';
import { startInventoryService } from './service.js';

await runMain('inventory', loadInventoryConfig, startInventoryService);
