import { randomUUID } from 'node:crypto';
import type { FeedPage, ProductSnapshot } from '@shop/contracts';
import { backoffDelay, isTransientError, runInContext, sleep, untilAborted } from '@shop/platform';
import type { CatalogFeed } from '../adapters/catalog-feed.client.js';
import { fillInMissingSkus } from '../db/stock.repository.js';
import type { InventoryDeps } from './deps.js';
import { openStock } from './open-stock.js';

/**
 * Fills in what an inventory started against a catalog that already has products has missed (a
 * new database; events sent before it existed): pages through the catalog's product feed and
 * opens a stock row with 0 on hand for every variant of every product not deleted that has none,
 * audited and announced like any new row. Rows it has keep their stock; the only thing it gives
 * them is the variant's SKU when they have none (opened before rows kept one). Each page is applied
 * in one transaction. A page that fails (the catalog unreachable, PostgreSQL away) is asked for again
 * after a growing pause, until it goes through or `stopping` aborts; a feed call in flight is then
 * abandoned at once. Resolves with what it did, or undefined when stopped first.
 */
export async function backfillStock(deps: InventoryDeps, feed: CatalogFeed, stopping: AbortSignal): Promise<{ products: number; opened: number; skusFilledIn: number } | undefined> {
  return runInContext({ correlationId: randomUUID(), causationId: null }, async () => {
    deps.logger.info('stock backfill from the catalog feed started');
    const done = { products: 0, opened: 0, skusFilledIn: 0 };
    let after: string | null = null;
    let failures = 0;
    while (!stopping.aborted) {
      try {
        // Renames from before the page was read are older than the names it brings.
        const readAt = deps.now();
        const page: FeedPage<ProductSnapshot> | undefined = await untilAborted(feed.page(after), stopping);
        if (!page) break;
        const live = page.items.filter((product) => !product.deleted);
        const applied = await deps.transaction(async (tx) => {
          const opened = await openStock(
            deps,
            tx,
            live.map((product) => ({ productId: product.productId, productName: product.name, nameAt: readAt, variants: product.variants })),
            { origin: 'catalog_feed', onHand: 0, userId: null, at: deps.now() },
          );
          const skusFilledIn = await fillInMissingSkus(tx, live.flatMap((product) => product.variants));
          return { opened: opened.length, skusFilledIn };
        });
        done.products += page.items.length;
        done.opened += applied.opened;
        done.skusFilledIn += applied.skusFilledIn;
        failures = 0;
        if (page.next === null) {
          deps.logger.info('stock backfill from the catalog feed done', done);
          return done;
        }
        after = page.next;
      } catch (err) {
        const delayMs = backoffDelay(failures);
        failures += 1;
        // A catalog that is down is expected now and then; anything else (a catalog without the
        // feed, an invalid page) needs an operator, but may be fixed without restarting this one.
        deps.logger.log(isTransientError(err) ? 'warn' : 'error', 'stock backfill from the catalog feed failed; trying again', { after, failures, delayMs, error: String(err) });
        await sleep(delayMs, stopping);
      }
    }
    deps.logger.info('stock backfill from the catalog feed stopped before its end', done);
    return undefined;
  });
}
