"""Scores the SDK's expression head on descriptor caches, on the rows (sources) every cache has.

  training/.venv/bin/python -m training.heads.score_expression --selection-rows rows.json
      (writes FER2013 train's seed-7 selection rows, the heads' and refiner's held-out 10 %, for
      scripts/extract-dataset-rows.mjs)
  training/.venv/bin/python -m training.heads.score_expression plain.npy symmetric.npy

For comparisons of extraction modes on a training split (FER2013 validation is scored by `semface eval`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort

from training.codec.layout import profile_indices
from training.heads.data import expression_targets, load_cache
from training.heads.export import SDK_MODELS
from training.refine.train_refine import selection_split

FER2013_TRAIN_ROWS = 28709


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("caches", nargs="*", type=Path)
    ap.add_argument("--selection-rows", type=Path, help="write FER2013 train's selection row indices here")
    ap.add_argument("--models", type=Path, default=SDK_MODELS)
    args = ap.parse_args(argv)
    if args.selection_rows:
        sel, _ = selection_split(FER2013_TRAIN_ROWS)
        args.selection_rows.write_text(json.dumps(sel.tolist()))
        print(f"{len(sel)} rows -> {args.selection_rows}")
    if not args.caches:
        return
    session = ort.InferenceSession(str(args.models / "expression.onnx"))
    name = session.get_inputs()[0].name
    idx = profile_indices("expression")
    correct = []
    for path in args.caches:
        x, rows, header = load_cache(path)
        y = expression_targets(rows, header)
        p = session.run(None, {name: x[:, idx].astype(np.float32)})[0]
        correct.append({r["source"]: bool(ok) for r, ok in zip(rows, p.argmax(1) == y)})
    common = sorted(set.intersection(*(set(c) for c in correct)))
    for path, c in zip(args.caches, correct):
        acc = float(np.mean([c[s] for s in common]))
        se = np.sqrt(acc * (1 - acc) / len(common))
        print(f"{path}: {100 * acc:.2f} % ± {100 * se:.2f} on {len(common)} common rows ({len(c)} in the cache)")


if __name__ == "__main__":
    main()
