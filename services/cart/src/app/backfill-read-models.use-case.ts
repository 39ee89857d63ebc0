import { backoffDelay, sleep } from '@shop/platform';
import type { CatalogFeedClient } from '../adapters/catalog-feed.client.js';
import { saveProductSnapshot, saveStockLevel } from '../db/catalog.repository.js';
import type { CartDeps } from './deps.js';

const PAGE = 500;

/**
 * A cart service started against a catalog that already has products (a new replica's empty
 * database) fills its read models from the catalog's product feed and the inventory's stock feed
 * instead of waiting for events sent before it existed. Versions decide: nothing older than what
 * events already brought is written. Retries with backoff until both feeds were read, or `signal` aborts.
 */
export async function backfillReadModels(deps: CartDeps, catalog: CatalogFeedClient, signal: AbortSignal): Promise<{ products: number; stockLevels: number }> {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    try {
      return { products: await copyProducts(deps, catalog, signal), stockLevels: await copyStock(deps, signal) };
    } catch (err) {
      const delay = backoffDelay(attempt, 500, 30_000);
      deps.logger.warn('read model backfill failed; retrying', { error: String(err), retryInMs: delay });
      await sleep(delay, signal);
    }
  }
  return { products: 0, stockLevels: 0 };
}

async function copyProducts(deps: CartDeps, catalog: CatalogFeedClient, signal: AbortSignal): Promise<number> {
  let after: string | undefined;
  let count = 0;
  do {
    const page = await catalog.page(after, PAGE);
    await deps.transaction(async (tx) => {
      for (const product of page.items) await saveProductSnapshot(tx, product);
    });
    count += page.items.length;
    after = page.next ?? undefined;
  } while (after && !signal.aborted);
  return count;
}

async function copyStock(deps: CartDeps, signal: AbortSignal): Promise<number> {
  let after: string | undefined;
  let count = 0;
  do {
    const page = await deps.stock.feed(after, PAGE);
    await deps.transaction(async (tx) => {
      for (const level of page.items) await saveStockLevel(tx, level);
    });
    count += page.items.length;
    after = page.next ?? undefined;
  } while (after && !signal.aborted);
  return count;
}
