#!/usr/bin/env bash
# One command for the descriptor caches that training and evaluation read (artifacts/cache/*.npy + .json):
# LFW, FER2013 train and validation, and the talking-head videos. About 50 minutes on 2 cores.
# Each dataset is extracted once without the expression refinement (artifacts/cache/unrefined/, the
# refiner's training input), then the emotion network runs on the same face crops (.emotion.npy) and the
# extractor's refiner turns those rows into the refined caches in artifacts/cache/: the rows
# `semface extract` writes with refinement on (test/data/refined-cache.test.ts checks that on real images).
# Usage: pnpm caches [--data-root DIR]   (default: $SEMFACE_DATA_ROOT or ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f packages/cli/dist/bin.js ] || pnpm build
mkdir -p artifacts/cache/unrefined
for dataset in videos lfw fer2013-validation fer2013-train; do
  echo "caches: $dataset"
  node packages/cli/dist/bin.js extract --dataset "$dataset" --no-refine -o "artifacts/cache/unrefined/$dataset.npy" "$@"
  node packages/extractor/dist/cache/build-emotion-cache.js "artifacts/cache/unrefined/$dataset.npy" "$@"
  node packages/extractor/dist/cache/refine-cache.js "artifacts/cache/unrefined/$dataset.npy" "artifacts/cache/$dataset.npy"
done
