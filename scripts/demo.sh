#!/usr/bin/env bash
# The main job: installs what is missing (with chromium for the browser test), then runs the live
# demo. Arguments go to `semface demo` (e.g. --input clip.mp4 --port 8080 --duration 60 --no-open).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
exec pnpm -s semface demo "$@"
