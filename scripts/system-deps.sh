#!/usr/bin/env bash
# Debian packages the test suite needs beyond Python: a browser for the end-to-end tests and
# docker-compose to validate the compose file. PostgreSQL 15 and Redis 7 binaries come with
# this kind of machine. Installs only what is missing, so a second run costs nothing.
set -euo pipefail

needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v docker-compose >/dev/null 2>&1 || needed+=(docker-compose)
command -v wrk >/dev/null 2>&1 || needed+=(wrk)

if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${needed[*]}. Run as root or: sudo apt-get install -y ${needed[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${needed[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
