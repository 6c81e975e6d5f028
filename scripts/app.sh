#!/usr/bin/env bash
# Installs the app into a local .venv and starts it on the built-in demo catalogue at http://127.0.0.1:7860.
# Settings come from WHISPERLITE_* environment variables (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
install_project
exec "$PYTHON" app.py "$@"
