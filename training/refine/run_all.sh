#!/usr/bin/env bash
# Whole proof of concept, in order (2 jobs at a time). Logs in artifacts/refine/*.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="nice -n 10 training/.venv/bin/python"
L=artifacts/refine
mkdir -p $L
[ -f $L/teacher-validation.npz ] || $PY -m training.refine.teacher --split validation > $L/teacher-validation.log 2>&1
[ -f $L/teacher-train.npz ] || $PY -m training.refine.teacher --split train > $L/teacher-train.log 2>&1
# A: teacher logits as input, no teacher shuffling (a-priori primary configuration)
$PY -m training.refine.train_refine --tag A --teacher-input logits > $L/A-train.log 2>&1 &
$PY -m training.refine.evaluate --tag unrefined --production-codecs > $L/unrefined-eval.log 2>&1 &
wait
# B: as A, 28 % of train rows get another image's teacher output (teacher as reliable as on unseen images)
$PY -m training.refine.train_refine --tag B --teacher-input logits --teacher-shuffle 0.28 > $L/B-train.log 2>&1 &
$PY -m training.refine.evaluate --tag A > $L/A-eval.log 2>&1 &
wait
$PY -m training.refine.evaluate --tag B > $L/B-eval.log 2>&1
# crude rate test (uniform quantisation, single-member head)
$PY -m training.refine.quant_test --tag A --bits 3 4 5 > $L/A-quant.log 2>&1 &
$PY -m training.refine.quant_test --tag unrefined --bits 3 4 5 > $L/unrefined-quant.log 2>&1 &
wait
# C: sensitivity to the mesh budget (0.2 % IOD), one codec rate point
$PY -m training.refine.train_refine --tag C --teacher-input logits --budget 0.2 > $L/C-train.log 2>&1
$PY -m training.refine.evaluate --tag C --lambdas 1e-3 > $L/C-eval.log 2>&1
