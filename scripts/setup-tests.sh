#!/usr/bin/env bash
# Installs what only the tests need, on top of scripts/setup.sh (which the demo uses): the
# independent readers that check kbm's output (PyYAML, openpyxl, icalendar from PyPI, listed in
# Tests/python/requirements.txt) and the Debian tools named in TEST_DEBIAN_PACKAGES below.
# Does nothing for what is present; never needed for `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# LibreOffice converts spreadsheets (SpreadsheetTests); chromium renders reports to PNG and PDF
# (ReportTests), pdftotext (poppler-utils) reads the PDF back.
TEST_DEBIAN_PACKAGES=(python3-pip libreoffice-calc-nogui chromium poppler-utils)
need=()
for pkg in "${TEST_DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# python3 -m pip may already exist without the Debian package (a pyenv Python): then skip it.
if python3 -m pip --version >/dev/null 2>&1; then
  filtered=(); for p in "${need[@]}"; do [ "$p" = python3-pip ] || filtered+=("$p"); done; need=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test tools ${need[*]} …"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Each requirement is checked by importing it, so an installed one costs nothing.
missing=0
while read -r module requirement; do
  [ -z "$module" ] || [ "${module#\#}" != "$module" ] && continue
  python3 -c "import $module" 2>/dev/null || missing=1
done < Tests/python/requirements.txt
if [ "$missing" = 1 ]; then
  echo "Installing the tests' Python packages …"
  reqs=$(grep -v '^#' Tests/python/requirements.txt | awk 'NF {print $2}')
  # shellcheck disable=SC2086
  python3 -m pip install -q $reqs 2>/dev/null || python3 -m pip install -q --break-system-packages $reqs
fi
