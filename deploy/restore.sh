#!/bin/sh
# Restore a backup of deploy/backup.sh into a new database: deploy/restore.sh DIRECTORY DATABASE
# Then, with DATABASE_URL pointing at it (README, "Backup and restore"):
#   python manage.py migrate && python manage.py harden_database_roles --app-role derbes_app
#   python manage.py erase_subject --replay
set -eu
directory=$1
database=$2
(cd "$directory" && sha256sum --check --quiet SHA256SUMS)
# Roles are cluster-wide: those that exist already are reported and kept as they are.
psql --quiet --dbname postgres --file "$directory/roles.sql" 2>&1 \
    | grep -v -e 'already exists' -e 'current user cannot be dropped' || true
createdb "$database"
# The history guards (triggers), the erasure door and every grant come back with the schema.
pg_restore --exit-on-error --dbname "$database" "$directory/database.dump"
