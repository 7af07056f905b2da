#!/usr/bin/env bash
# Installs whatever Stagger needs and is missing, then builds. Safe to run again: each step is skipped
# when already done. Used by `npm test`, `npm run quickstart`, `npm run bench` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "[setup] $*" >&2; }

# apt_install WHY PKG...: install the Debian packages (root and apt-get needed), else say what WHY loses.
apt_install() {
  local why=$1
  shift
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    say "missing $* and cannot install them here (needs root and apt-get): $why. Install them with apt-get."
  fi
}

# 1. System libraries: `canvas` (under chartjs-node-canvas) builds from source against Cairo and Pango;
#    browser tests use Debian's chromium. Install only what is missing (needs root, as on this machine kind).
need_pkgs=()
for p in build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev chromium; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  apt_install "reports lose their charts and the browser tests fail" "${need_pkgs[@]}"
fi

# 1b. R, only for the tests that run R: `npm test` (examples/external/did_2x2.R through the
#     external-estimator protocol: base R) and `npm run test:reference` (the dcdh test exports wagepan
#     from r-cran-plm's Males) set STAGGER_SETUP_R=1; the quick start, bench and CI steps without it
#     never install R. Debian's r-base-core gives Rscript, r-cran-plm the data set.
if [ "${STAGGER_SETUP_R:-0}" = 1 ]; then
  need_r=()
  command -v Rscript >/dev/null || need_r+=(r-base-core)
  dpkg-query -W -f='${Status}' r-cran-plm 2>/dev/null | grep -q "install ok installed" || need_r+=(r-cran-plm)
  if [ ${#need_r[@]} -gt 0 ]; then
    apt_install "the R tests will fail" "${need_r[@]}"
  fi
fi

# 2. Node packages: reinstall when node_modules is missing or older than the lock file.
stamp=node_modules/.stagger-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  say "installing node packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  touch "$stamp"
fi

# 2b. Charts: `canvas` is optional (a failed native build must not break npm ci). If it did not build,
#     e.g. because the Cairo libraries arrived after the install, rebuild it once; reports without it
#     still have their tables and say why the charts are missing.
if [ -d node_modules/canvas ] && ! node -e "require('canvas')" >/dev/null 2>&1; then
  say "rebuilding canvas (charts) against the system's Cairo"
  npm rebuild canvas --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || true
  node -e "require('canvas')" >/dev/null 2>&1 || say "canvas could not be built: reports will have tables but no charts (see README, Reports)"
fi

# 3. Build TypeScript when any source is newer than the last build.
if [ ! -f dist/.built ] || [ -n "$(find src test test-reference test-cluster bench tsconfig.json -newer dist/.built -print -quit 2>/dev/null)" ]; then
  say "building"
  npx --no-install tsc -p tsconfig.json
  chmod +x dist/src/cli/main.js
  # the explorer's browser bundle (stagger explore inlines it): the engine with esbuild, for the page
  node scripts/bundle-explorer.mjs
  touch dist/.built
fi
