#!/usr/bin/env bash
# Install Debian's Chromium (for the console's browser tests) when /usr/bin/chromium is missing.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-chromium: Chromium is missing; as root: apt-get install -y chromium chromium-driver" >&2
  echo "install-chromium: the browser tests will be skipped" >&2
  exit 0
fi
echo "install-chromium: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium chromium-driver
