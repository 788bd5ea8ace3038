#!/usr/bin/env bash
# Install Debian's PostgreSQL server if no initdb is found under /usr/lib/postgresql.
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-postgres: PostgreSQL is missing; as root: apt-get install -y postgresql" >&2
  exit 1
fi
echo "install-postgres: installing Debian's postgresql" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends postgresql
