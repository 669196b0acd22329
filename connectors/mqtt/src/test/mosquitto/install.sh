#!/usr/bin/env bash
# The MQTT connector's tests run against a real Mosquitto 2 process (MosquittoTest): install
# Debian's package when it is missing. Run by the build before the tests (see ../../../pom.xml).
set -euo pipefail
if [ -x /usr/sbin/mosquitto ] || [ -x /usr/local/sbin/mosquitto ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
  echo "Mosquitto is missing and cannot be installed here (needs root and apt-get):" \
    "install the 'mosquitto' package, then run the tests again." >&2
  exit 1
fi
echo "Installing Mosquitto (Debian package) for the MQTT connector's tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends mosquitto > /dev/null
# The package may start a broker on 1883 where an init system runs; the tests start their own.
