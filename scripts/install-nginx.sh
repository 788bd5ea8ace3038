#!/usr/bin/env bash
# Install Debian's nginx (`watchlink serve --balancer nginx`, and its test) when it is missing.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-nginx: nginx is missing; as root: apt-get install -y nginx-light" >&2
  echo "install-nginx: the balancer's test will be skipped" >&2
  exit 0
fi
echo "install-nginx: installing Debian's nginx-light" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends nginx-light
