#!/usr/bin/env bash
# Install Debian's headless Java runtime if no `java` is found: Spark's local mode needs it.
set -euo pipefail

if command -v java >/dev/null; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-java: Java is missing (Spark tests need it); as root: apt-get install -y default-jre-headless" >&2
  exit 1
fi
echo "install-java: installing Debian's default-jre-headless" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends default-jre-headless
