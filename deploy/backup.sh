#!/bin/sh
# Back up the database and the cluster's roles: deploy/backup.sh DATABASE DIRECTORY
# Connection from the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD), as a
# superuser (pg_dumpall --roles-only reads the roles and their password hashes).
# The directory gets roles.sql, database.dump (pg_dump's custom format) and SHA256SUMS.
# It holds personal data: keep it encrypted, apart from the keys (README, "Keys").
set -eu
database=$1
directory=$2
umask 077
mkdir -p "$directory"
pg_dumpall --roles-only --file "$directory/roles.sql"
pg_dump --format custom --file "$directory/database.dump" "$database"
(cd "$directory" && sha256sum roles.sql database.dump > SHA256SUMS)
