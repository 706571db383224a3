#!/usr/bin/env bash
# Set up (if needed), make sure Redis and PostgreSQL answer, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
