#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (tests/Lambda.Dashboard.Tests). Playwright's
# own browser download cannot run on these machines; its .NET driver drives the Debian browser
# through ExecutablePath=/usr/bin/chromium instead. Idempotent: a second run only checks the file.
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
echo "setup: installing chromium"
$sudo_cmd apt-get update -qq
# fonts-liberation: metric-compatible sans fonts so screenshots look the same on every machine.
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
  chromium fonts-liberation >/dev/null
[ -x /usr/bin/chromium ] || { echo "setup: chromium did not install /usr/bin/chromium" >&2; exit 1; }
echo "setup: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed"
