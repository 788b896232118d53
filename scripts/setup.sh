#!/usr/bin/env bash
# Installs the system packages kbm builds against (Debian): libsqlite3-dev, libgit2-dev and
# libxlsxwriter-dev (kbm export writes .xlsx with it),
# plus git (tests and the demo), python3 (the HTTP test server) and openssh-client (ssh-keygen,
# used by tests to check that kbm's signatures interoperate) and time (/usr/bin/time, peak memory
# in the benchmark and the hostile-repository tests) and sqlite3 (tests edit stores as an older kbm
# left them). Does nothing if present.
set -euo pipefail
need=()
for pkg in libsqlite3-dev libgit2-dev libxlsxwriter-dev git python3 pkg-config openssh-client time sqlite3; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} …"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "Swift 6 is needed (swift not found on PATH)." >&2; exit 1; }
