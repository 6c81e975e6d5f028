#!/usr/bin/env bash
# Installs everything (a local .venv with the project and its dev tools, Chromium for the browser tests,
# PostgreSQL for the user-store tests and nginx for the proxy tests where this machine allows it), then runs the
# whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
install_project '[dev]'
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
    || echo "Chromium could not be installed: the browser tests will be skipped with that reason."
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing PostgreSQL for the user-store tests on a real server (apt-get)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
    || echo "PostgreSQL could not be installed: the PostgreSQL tests will be skipped with that reason."
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing nginx for the tests through deploy/nginx.conf (apt-get)..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } \
    || echo "nginx could not be installed: the proxy tests will be skipped with that reason."
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# -n auto --dist loadfile: one worker per core, each test file whole on one worker, so a module's server starts
# once; most of a test's time is one process working (a server starting, a browser, a training) while it waits.
# --durations=20: every run (CI included) lists its 20 slowest steps, so a test that grows slow is seen.
exec "$PYTHON" -m pytest -n auto --dist loadfile --durations=20 "$@"
