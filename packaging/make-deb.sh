#!/usr/bin/env bash
# Builds the Debian package into build/packages/: packaging/make-deb.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
bash packaging/setup.sh build
cmake --build "$build_dir" --target deb
ls -l "$build_dir"/packages/*.deb
