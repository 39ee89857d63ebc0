#!/bin/sh
# One role and one database per service: for every SHOP_<NAME>_DB_PASSWORD in the environment, the
# role shop_<name> (LOGIN, that password, no CREATEDB, CREATEROLE or SUPERUSER) owning the database
# shop_<name>. No role may connect to a database it does not own: CONNECT and TEMPORARY are revoked
# from PUBLIC on each shop database, on postgres and on template1 (the superuser is not affected).
#
# The postgres image runs this once, when its data directory is new. It can run again at any time
# (say after a service was added) and changes only what is missing:
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-shop-roles.sh
set -eu

names=$(env | sed -n 's/^SHOP_\([A-Z0-9_]*\)_DB_PASSWORD=.*/\1/p' | tr 'A-Z' 'a-z' | sort)
if [ -z "$names" ]; then
  echo "no SHOP_<NAME>_DB_PASSWORD set: no service role created" >&2
  exit 1
fi

for name in $names; do
  variable="SHOP_$(echo "$name" | tr 'a-z' 'A-Z')_DB_PASSWORD"
  password=$(printenv "$variable")
  if [ -z "$password" ]; then
    echo "$variable is empty" >&2
    exit 1
  fi
  # psql quotes :'password' as a literal and :"role" as an identifier; format() does the same for
  # the statements \gexec runs.
  psql -v ON_ERROR_STOP=1 --quiet --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v role="shop_$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'role', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'role') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'role', :'role') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'role') \gexec
SQL
  echo "role and database shop_$name ready"
done

psql -v ON_ERROR_STOP=1 --quiet --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
REVOKE CONNECT ON DATABASE template1 FROM PUBLIC;
SQL
