-- Every committed change to what a cart answer shows is announced on the 'cart_changed' channel,
-- so each replica drops the answers it keeps in memory. The payload names the cart whose lines or
-- row changed; an empty payload (a read model changed: a product's name or status, a variant's
-- price, a stock status) may concern every cart. NOTIFY is transactional: it is sent at commit,
-- and only then, and a transaction's identical notifications are sent once. Triggers cover every
-- writer, the service's own code and a fix made by hand alike. Row triggers fire only for rows a
-- statement changed (an update that matched nothing announces nothing).
CREATE FUNCTION notify_cart_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cart_changed', (CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_cart_lines_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('cart_changed', OLD.cart_id::text);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('cart_changed', NEW.cart_id::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_all_carts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cart_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER carts_changed AFTER INSERT OR UPDATE OR DELETE ON carts
  FOR EACH ROW EXECUTE FUNCTION notify_cart_changed();
CREATE TRIGGER cart_items_changed AFTER INSERT OR UPDATE OR DELETE ON cart_items
  FOR EACH ROW EXECUTE FUNCTION notify_cart_lines_changed();
CREATE TRIGGER catalog_products_changed AFTER INSERT OR UPDATE OR DELETE ON catalog_products
  FOR EACH ROW EXECUTE FUNCTION notify_all_carts_changed();
CREATE TRIGGER catalog_variants_changed AFTER INSERT OR UPDATE OR DELETE ON catalog_variants
  FOR EACH ROW EXECUTE FUNCTION notify_all_carts_changed();
-- A cart shows a variant's stock status, not its quantity: most stock changes leave every answer as it was.
CREATE TRIGGER variant_stock_changed AFTER INSERT OR DELETE ON variant_stock
  FOR EACH ROW EXECUTE FUNCTION notify_all_carts_changed();
CREATE TRIGGER variant_stock_status_changed AFTER UPDATE ON variant_stock
  FOR EACH ROW WHEN (OLD.stock_status IS DISTINCT FROM NEW.stock_status) EXECUTE FUNCTION notify_all_carts_changed();

CREATE TRIGGER carts_truncated AFTER TRUNCATE ON carts FOR EACH STATEMENT EXECUTE FUNCTION notify_all_carts_changed();
CREATE TRIGGER cart_items_truncated AFTER TRUNCATE ON cart_items FOR EACH STATEMENT EXECUTE FUNCTION notify_all_carts_changed();
CREATE TRIGGER catalog_products_truncated AFTER TRUNCATE ON catalog_products FOR EACH STATEMENT EXECUTE FUNCTION notify_all_carts_changed();
CREATE TRIGGER catalog_variants_truncated AFTER TRUNCATE ON catalog_variants FOR EACH STATEMENT EXECUTE FUNCTION notify_all_carts_changed();
CREATE TRIGGER variant_stock_truncated AFTER TRUNCATE ON variant_stock FOR EACH STATEMENT EXECUTE FUNCTION notify_all_carts_changed();
