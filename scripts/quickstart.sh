#!/usr/bin/env bash
# The README's first command: install whatever is missing (system libraries included), build, and run
# the main job end to end on a bundled scenario: a Monte Carlo diagnosis of the R1 wait-list design
# with its HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
draws="${STAGGER_DRAWS:-200}"
echo "[quickstart] stagger run scenarios/r1-isf-waitlist.yaml --draws $draws --seed 1 --out out/quickstart" >&2
node --single-threaded dist/src/cli/main.js run scenarios/r1-isf-waitlist.yaml --draws "$draws" --seed 1 --out out/quickstart
echo "[quickstart] done: out/quickstart/diagnosis.csv and the report out/quickstart/report.html" >&2
