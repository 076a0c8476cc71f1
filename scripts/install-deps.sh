#!/usr/bin/env bash
# Installs the interop peers of the test suite on Debian/Ubuntu (run as root). Nothing else: the native Kafka client
# (librdkafka) comes from the librdkafka.redist NuGet package with Confluent.Kafka (docs/kafka.md).
#   kcat, python3-kafka,
#   python3-confluent-kafka independent Kafka clients for interop tests
#   python3-avro            the Apache Avro reference implementation for codec interop tests
set -euo pipefail
packages=(kcat python3-kafka python3-confluent-kafka python3-avro)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# PostgreSQL 15 for the sink tests (scripts/postgres.sh runs a throwaway cluster from Debian's binaries).
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL 15 is missing (/usr/lib/postgresql/15/bin/initdb). Install it with: sudo apt-get install postgresql-15" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql-15
fi
