#!/usr/bin/env bash
# Installs everything semface needs on a fresh Debian machine: system packages, pnpm, the
# workspace's npm dependencies, the Python venv for training/, and the TypeScript build.
# Idempotent: a second run only checks. Usage: scripts/setup.sh [--with-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for a in "$@"; do [ "$a" = "--with-browser" ] && want_browser=1; done

need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ "$want_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v pnpm >/dev/null 2>&1; then
  echo "setup: installing pnpm"
  npm install -g pnpm@9.15.9 >/dev/null
fi

echo "setup: installing npm dependencies"
# onnxruntime-node bundles its CPU binaries; skip its optional download of GPU ones.
ONNXRUNTIME_NODE_INSTALL=skip pnpm install --frozen-lockfile --reporter=silent

if [ ! -x training/.venv/bin/python ]; then
  echo "setup: creating training/.venv"
  python3 -m venv training/.venv
fi
if ! training/.venv/bin/python -c "import torch, numpy, onnx, onnxruntime, pytest" >/dev/null 2>&1 \
   || [ training/requirements.txt -nt training/.venv/.installed ]; then
  echo "setup: installing training/requirements.txt"
  training/.venv/bin/pip install -q -r training/requirements.txt
  touch training/.venv/.installed
fi

echo "setup: building"
pnpm build
