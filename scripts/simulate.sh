#!/usr/bin/env bash
# Runs the convergence simulation (Tests/CLITests/ConvergenceSimulationTests.swift).
#   scripts/simulate.sh              the CI seeds (2 × 500 operations)
#   scripts/simulate.sh 1234 [ops]   replay one seed (default 500 operations)
#   scripts/simulate.sh --long       10 seeds × 2000 operations
# SCRATCH=<dir> chooses the build folder (default .build-sim).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${SCRATCH:-.build-sim}"
if [[ "${1:-}" == "--long" ]]; then
  export KBM_SIM_LONG=1
elif [[ -n "${1:-}" ]]; then
  export KBM_SIM_SEED="$1"
  [[ -n "${2:-}" ]] && export KBM_SIM_OPS="$2"
fi
swift build --scratch-path "$scratch" --build-tests
swift test --scratch-path "$scratch" --skip-build --filter CLITests.ConvergenceSimulationTests
