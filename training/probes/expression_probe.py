"""Linear probe: does the descriptor's expression part separate FER2013 classes?

Multinomial logistic regression (full-batch L-BFGS, L2) on standardised descriptor slices, trained on
FER2013 train descriptors and scored on FER2013 validation. Reads the caches written by
`semface extract --dataset fer2013-train|fer2013-validation` (artifacts/cache/ by default).

    training/.venv/bin/python -m training.probes.expression_probe --cache artifacts/cache
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from training.codec.layout import fields  # offsets come from layout.ts, never hard-coded here

FIELDS = fields()


def load(cache: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.load(cache / f"{name}.npy")
    rows = json.loads((cache / f"{name}.json").read_text())["rows"]
    y = np.array([r["classIndex"] for r in rows], dtype=np.int64)
    if len(y) != len(x):
        raise ValueError(f"{name}: {len(x)} descriptors but {len(y)} sidecar rows")
    return x, y


def columns(groups: list[str]) -> np.ndarray:
    return np.concatenate([np.arange(*FIELDS[g]) for g in groups])


def probe(xtr: np.ndarray, ytr: np.ndarray, xva: np.ndarray, yva: np.ndarray, l2: float) -> float:
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    a = torch.tensor((xtr - mu) / sd, dtype=torch.float64)
    b = torch.tensor((xva - mu) / sd, dtype=torch.float64)
    t = torch.tensor(ytr)
    k = int(ytr.max()) + 1
    w = torch.zeros(a.shape[1], k, dtype=torch.float64, requires_grad=True)
    c = torch.zeros(k, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, c], max_iter=300, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(a @ w + c, t) + l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    with torch.no_grad():
        pred = (b @ w + c).argmax(1).numpy()
    return float((pred == yva).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("artifacts/cache"))
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--out", type=Path, default=None, help="write results JSON here")
    args = ap.parse_args()
    xtr, ytr = load(args.cache, "fer2013-train")
    xva, yva = load(args.cache, "fer2013-validation")
    majority = float((yva == np.bincount(ytr).argmax()).mean())
    results = {"train_rows": len(ytr), "validation_rows": len(yva), "majority_class_accuracy": majority}
    for name, groups in {
        "expression": ["expression"],
        "expression+rotation+translation": ["expression", "rotation", "translation"],
        "identity+texture": ["identity", "texture"],
        "full": list(FIELDS),
    }.items():
        results[name] = probe(xtr[:, columns(groups)], ytr, xva[:, columns(groups)], yva, args.l2)
        print(f"{name:34s} validation accuracy {results[name]:.4f}")
    print(f"majority class                     validation accuracy {majority:.4f}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
