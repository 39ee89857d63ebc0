-- The customer view keeps, per field, the version of the customer event that last set it: a
-- late e-mail change must still set the address even after a newer profile update set the name.
ALTER TABLE customers ADD COLUMN email_version integer NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN name_version integer NOT NULL DEFAULT 0;
