"""Untrained heads for tests (like codec-core's tiny fixture): same files and manifest, random weights.

  training/.venv/bin/python -m training.heads.fixture --out test/eval/fixtures/heads
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from training.codec.layout import profile_indices
from training.heads.data import EXPRESSION_LABELS
from training.heads.export import export_onnx, write_head
from training.heads.model import ResidualMlp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(0)
    fixture = {"fixture": "random weights, not trained"}
    e = profile_indices("expression")
    m = ResidualMlp(len(e), 7, np.zeros(len(e)), np.ones(len(e)), width=16, blocks=1, softmax=True)
    write_head(args.out, {"kind": "expression", "file": "expression.onnx", "profile": "expression",
                          "inputDim": len(e), "outputDim": 7, "labels": list(EXPRESSION_LABELS),
                          "training": fixture, "metrics": {}}, export_onnx(m, len(e), "probabilities"))
    i = profile_indices("identity")
    for fold in [*range(args.folds), None]:
        m = ResidualMlp(len(i), 128, np.zeros(len(i)), np.ones(len(i)), width=16, blocks=1)
        entry = {"kind": "verification", "file": "verification.onnx" if fold is None else f"verification-fold{fold}.onnx",
                 "profile": "identity", "inputDim": len(i), "outputDim": 128, "threshold": 1.0,
                 "training": fixture, "metrics": {}}
        if fold is not None:
            entry["fold"] = fold
        write_head(args.out, entry, export_onnx(m, len(i), "embedding"))


if __name__ == "__main__":
    main()
