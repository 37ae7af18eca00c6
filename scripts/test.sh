#!/usr/bin/env bash
# The one command that runs every test on a fresh clone (CI calls exactly this).
# Tests that need the real data in ../shared/data (or $SEMFACE_DATA_ROOT) run when it exists
# and say they were skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser

if [ -d "${SEMFACE_DATA_ROOT:-../shared/data}" ]; then
  echo "test: real data root found at ${SEMFACE_DATA_ROOT:-../shared/data}: data tests will run"
else
  echo "test: no data root (../shared/data): tests that need real data will be skipped"
fi

echo "test: protobuf drift check"
pnpm proto:check

echo "test: lint"
pnpm lint

mkdir -p artifacts/test
echo "test: python (training/)"
training/.venv/bin/python -m pytest -q training 2>&1 | tee artifacts/test/pytest.log

echo "test: vitest"
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=artifacts/test/vitest.json

node scripts/test-summary.mjs artifacts/test/vitest.json artifacts/test/pytest.log
