#!/usr/bin/env bash
# Installs Debian's redis-server for the queue tests (test/queue: BullMQ on a real Redis). The
# tests start and stop their own servers on free ports of 127.0.0.1 (one test restarts Redis in
# the middle of a sweep), so nothing is left running here. Idempotent; run as root (CI is root).
set -euo pipefail
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
  echo "[install-redis] redis-server already installed: $(redis-server --version | cut -d' ' -f3)" >&2
  exit 0
fi
for i in $(seq 1 30); do
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null; then break; fi
  echo "[install-redis] apt failed (locked?), retry $i/30 in 10 s" >&2
  sleep 10
done
command -v redis-server >/dev/null || { echo "[install-redis] could not install redis-server" >&2; exit 1; }
# The Debian package may start a system-wide server; the tests need none of it.
if command -v systemctl >/dev/null; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
pkill -x redis-server 2>/dev/null || true
echo "[install-redis] installed redis-server $(redis-server --version | cut -d' ' -f3)" >&2
