#!/usr/bin/env bash
# Run a command beside a throwaway PostgreSQL cluster, then stop it and delete it.
#
#   scripts/with-postgres.sh .venv/bin/pytest
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port and on a
# socket in that folder, trusts local connections, and runs without fsync (its data is
# thrown away). The command sees WATCHLINK_TEST_POSTGRES_URL naming it. The cluster is
# stopped and the folder deleted on every exit, failure or Ctrl-C included; the script
# exits with the command's exit code. If WATCHLINK_TEST_POSTGRES_URL is already set, the
# command runs against that server and no cluster is started.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

if [[ -n "${WATCHLINK_TEST_POSTGRES_URL:-}" ]]; then
  echo "with-postgres: using the server named by WATCHLINK_TEST_POSTGRES_URL" >&2
  exec "$@"
fi

bindir="$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
  sort -V | tail -n 1 | xargs -r dirname)"
if [[ -z "$bindir" ]]; then
  echo "with-postgres: PostgreSQL is not installed; run scripts/install-postgres.sh" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: run the cluster as the 'postgres' system user (made
# by Debian's package) or, failing that, as 'nobody'.
as_owner=()
owner="$(id -un)"
if [[ "$(id -u)" -eq 0 ]]; then
  if id -u postgres >/dev/null 2>&1; then
    owner=postgres
  else
    owner=nobody
  fi
  as_owner=(runuser -u "$owner" --)
fi

folder="$(mktemp -d /tmp/watchlink-pg.XXXXXX)"
data="$folder/data"

cleanup() {
  if [[ -f "$data/postmaster.pid" ]]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$folder"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 700 "$folder"
if [[ "$(id -u)" -eq 0 ]]; then
  chown "$owner" "$folder"
fi

locale=C
if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
  locale=C.UTF-8
fi

free_port() {
  local python
  python="$(command -v python3 || command -v python)"
  "$python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

"${as_owner[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
  --locale="$locale" --no-sync >"$folder/initdb.log" 2>&1 || {
  cat "$folder/initdb.log" >&2
  exit 1
}

settings="-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
settings+=" -c full_page_writes=off -c max_connections=200"
started=""
for _ in 1 2 3; do
  port="$(free_port)"
  if "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$folder/server.log" -w -t 60 \
    -o "$settings -p $port -k $folder" start >/dev/null; then
    started=yes
    break
  fi
done
if [[ -z "$started" ]]; then
  echo "with-postgres: the cluster did not start; its log:" >&2
  cat "$folder/server.log" >&2 || true
  exit 1
fi

export WATCHLINK_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') on 127.0.0.1:$port" \
  "(cluster in $folder, run as $owner)" >&2

# In the background so that a signal reaches the trap at once; it is passed on.
"$@" <&0 &
child=$!
trap 'kill -INT "$child" 2>/dev/null; wait "$child"; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
set +e
wait "$child"
status=$?
set -e
exit "$status"
