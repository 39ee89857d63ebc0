-- Where a stock row came from: product.created (the product's initial stock), product.updated (a
-- variant the product gained later, 0 on hand) or the catalog's product feed (filled in at start-up
-- for a product whose events this inventory never saw, 0 on hand). A feed row nothing has changed
-- since (version 1) stands in for a product.created still on its way: when that event arrives, its
-- initial stock applies to the row.
ALTER TABLE stock_items ADD COLUMN origin text NOT NULL DEFAULT 'product_created'
  CHECK (origin IN ('product_created', 'product_updated', 'catalog_feed'));
