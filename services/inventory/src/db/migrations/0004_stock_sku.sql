-- The variant's SKU, for the stock alerts' texts beside the product name. Null on rows opened before
-- it was kept, until the catalog feed or a product.updated names it.
ALTER TABLE stock_items ADD COLUMN sku text;
