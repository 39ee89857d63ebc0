import { runMain } from '@shop/platform';
import { loadInventoryConfig } from './config';
import { startInventoryService } from './service';

await runMain('inventory', loadInventoryConfig, startInventoryService);
