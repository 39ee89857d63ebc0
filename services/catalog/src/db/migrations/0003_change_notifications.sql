-- Every committed change to what shoppers read is announced on the 'catalog_changed' channel, so
-- each replica drops the answers it keeps in memory. NOTIFY is transactional: it is sent at commit,
-- and only then, and a transaction's identical notifications are sent once. Triggers cover every
-- writer, the service's own code and a fix made by hand alike. Row triggers fire only for rows a
-- statement changed (an update that matched nothing announces nothing).
CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('catalog_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER categories_changed AFTER INSERT OR UPDATE OR DELETE ON categories
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER variants_changed AFTER INSERT OR UPDATE OR DELETE ON variants
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed();
-- Shoppers see a variant's stock status, not its quantity: most stock changes leave every answer as it was.
CREATE TRIGGER variant_stock_changed AFTER INSERT OR DELETE ON variant_stock
  FOR EACH ROW EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER variant_stock_status_changed AFTER UPDATE ON variant_stock
  FOR EACH ROW WHEN (OLD.stock_status IS DISTINCT FROM NEW.stock_status) EXECUTE FUNCTION notify_catalog_changed();

CREATE TRIGGER categories_truncated AFTER TRUNCATE ON categories FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER products_truncated AFTER TRUNCATE ON products FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER variants_truncated AFTER TRUNCATE ON variants FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER variant_stock_truncated AFTER TRUNCATE ON variant_stock FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
