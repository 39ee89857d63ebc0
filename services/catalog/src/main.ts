import { runMain } from '@shop/platform';
import { loadCatalogConfig } from './config.js';
import { startCatalogService } from './service.js';

await runMain('catalog', loadCatalogConfig, startCatalogService);
