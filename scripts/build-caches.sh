#!/usr/bin/env bash
# One command for the descriptor caches that training and evaluation read (artifacts/cache/*.npy + .json):
# LFW, FER2013 train and validation, and the talking-head videos. About 45 minutes on 2 cores.
# Usage: pnpm caches [--data-root DIR]   (default: $SEMFACE_DATA_ROOT or ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f packages/cli/dist/bin.js ] || pnpm build
for dataset in videos lfw fer2013-validation fer2013-train; do
  echo "caches: $dataset"
  node packages/cli/dist/bin.js extract --dataset "$dataset" "$@"
done
