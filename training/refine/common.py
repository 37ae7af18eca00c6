"""Shared pieces of the expression refinement proof of concept: data alignment (descriptor cache rows
<-> teacher outputs), the mesh displacement of an expression delta, uniform quantisation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from training.facemodel.model_io import read_model
from training.heads.data import expression_targets, image_key, load_cache

REPO = Path(__file__).resolve().parents[2]
ART = REPO / "artifacts/refine"
EXPR = slice(80, 144)
ROT = slice(224, 227)
TRANS = slice(254, 257)


def load_split(split: str, cache: Path | None = None) -> dict:
    """Descriptor cache rows of a FER2013 split joined with the teacher outputs of the same images."""
    cache = cache or REPO / f"artifacts/cache/fer2013-{split}.npy"
    x, rows, header = load_cache(cache)
    y = expression_targets(rows, header)
    t = np.load(ART / f"teacher-{split}.npz")
    pos = {k: i for i, k in enumerate(t["keys"].tolist())}
    ti = np.asarray([pos[image_key(r["source"])] for r in rows])
    assert (t["labels"][ti] == y).all()
    covered = np.zeros(len(t["keys"]), bool)
    covered[ti] = True
    return {
        "x": x,
        "rows": rows,
        "y": y,
        "fit_error": np.asarray([r.get("fitErrorPercent", np.nan) for r in rows], np.float64),
        "t_probs": t["probs"][ti],
        "t_logits": t["logits"][ti],
        "t_feat": t["feat"][ti],
        "n_images": len(t["keys"]),
        "teacher_all_acc": float((t["probs"].argmax(1) == t["labels"]).mean()),
        "teacher_uncovered_correct": int((t["probs"].argmax(1) == t["labels"])[~covered].sum()),
        "cache": cache,
    }


class MeshDisplacement:
    """Mean per-vertex 3-D displacement of an expression delta through the face model's expression basis,
    in % of the mean shape's outer-eye-corner distance (canonical frame; the fitter's fit error is the
    2-D image-plane distance over the detected 3-D IOD, so this is an upper bound on its image-plane part)."""

    def __init__(self, model_dir: Path = REPO / "packages/extractor/models/face-model") -> None:
        header, arrays = read_model(model_dir)
        mean = arrays["meanShape"].reshape(-1, 3)
        lm = header["landmarks"]
        self.iod = float(np.linalg.norm(mean[lm["eyeRightOuter"]] - mean[lm["eyeLeftOuter"]]))
        self.basis = torch.from_numpy(arrays["expressionBasis"].astype(np.float32))  # (64, V*3)
        self.v = mean.shape[0]

    def __call__(self, delta: torch.Tensor) -> torch.Tensor:
        d = (delta @ self.basis).view(delta.shape[0], self.v, 3)
        return 100.0 * torch.sqrt((d * d).sum(-1) + 1e-12).mean(-1) / self.iod

    def numpy(self, delta: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self(torch.from_numpy(delta.astype(np.float32))).numpy().astype(np.float64)


def quantise_uniform(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension uniform quantiser over [lo, hi] with 2^bits levels (mid-rise, clamped).
    Returns (reconstruction, symbol indices)."""
    levels = 2**bits
    step = (hi - lo) / levels
    q = np.clip(np.floor((x - lo) / step), 0, levels - 1)
    return (lo + (q + 0.5) * step).astype(np.float32), q.astype(np.int64)


def entropy_bits(train_sym: np.ndarray, test_sym: np.ndarray, levels: int) -> float:
    """Mean bits per row to code test symbols with per-dimension static models fitted on train symbols
    (Laplace-smoothed histograms): what a per-coefficient adaptive entropy coder would approach."""
    total = 0.0
    for d in range(train_sym.shape[1]):
        h = np.bincount(train_sym[:, d], minlength=levels).astype(np.float64) + 0.5
        p = h / h.sum()
        total += -np.log2(p[test_sym[:, d]]).mean()
    return float(total)


def save_refined_cache(src: Path, x: np.ndarray, dst: Path, note: str) -> None:
    """Writes a descriptor cache (.npy + sidecar copied from the source, with a note in the header)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    np.save(dst, x.astype(np.float32))
    side = json.loads(src.with_suffix(".json").read_text())
    side["header"] = {**side["header"], "refined": note}
    dst.with_suffix(".json").write_text(json.dumps(side))
