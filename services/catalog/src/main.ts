import { runMain } from '@shop/platform';
import { loadCatalogConfig } from './config';
import { startCatalogService } from './service';

await runMain('catalog', loadCatalogConfig, startCatalogService);
