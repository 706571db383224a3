#!/usr/bin/env bash
# Make this checkout runnable on a fresh machine: system packages, a venv, the project.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
if [ "${LOKET_SKIP_BROWSER:-0}" != "1" ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# The report tests render the PDF to PNG (pdftoppm) and read its text (pdftotext).
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
# Flowcharts and the digest chart are drawn in DejaVu Sans.
{ command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi "DejaVu Sans"; } || need_apt+=(fonts-dejavu-core fontconfig)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup: installing ${need_apt[*]} from Debian" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install ${need_apt[*]} (sudo apt-get install ${need_apt[*]})" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.loket-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[test]'
  touch "$stamp"
fi
