"""How far the face model's expression basis is from closed under left/right mirroring.

A fit of a mirrored face can only be the mirror of the original fit if mirroring maps the expression
basis into its own span. Prints, per component, the part of the mirrored component outside the span.

    training/.venv/bin/python training/facemodel/mirror_closure.py [model_dir] [descriptors.npy]

With a descriptor cache (N x 257, e.g. artifacts/cache/videos.npy), also the part of each face's
mirrored expression displacement that no expression code can rebuild.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from facemodel.model_io import read_model  # noqa: E402


def mirror_residuals(mean: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Fraction of each mirrored basis vector (rows of `basis`, V*3) outside span(basis)."""
    centred = mean - mean.mean(axis=0)
    flip = np.array([-1.0, 1.0, 1.0])
    _, partner = cKDTree(centred).query(centred * flip)
    comps = basis.reshape(basis.shape[0], -1, 3)
    mirrored = (comps[:, partner, :] * flip).reshape(basis.shape[0], -1).T
    q, _ = np.linalg.qr(basis.T)
    outside = mirrored - q @ (q.T @ mirrored)
    return np.linalg.norm(outside, axis=0) / np.linalg.norm(mirrored, axis=0)


def main() -> None:
    model_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("packages/extractor/models/face-model")
    _, arrays = read_model(model_dir)
    r = mirror_residuals(arrays["meanShape"], arrays["expressionBasis"])
    print("outside the span, per component:", " ".join(f"{x:.2f}" for x in r))
    print(f"first 8 mean {r[:8].mean():.3f}, all mean {r.mean():.3f}")
    if len(sys.argv) > 2:
        expr = np.load(sys.argv[2])[:, 80:144].astype(np.float64)
        basis = arrays["expressionBasis"].astype(np.float64)
        centred = arrays["meanShape"] - arrays["meanShape"].mean(axis=0)
        flip = np.array([-1.0, 1.0, 1.0])
        _, partner = cKDTree(centred).query(centred * flip)
        disp = (expr @ basis).reshape(len(expr), -1, 3)
        mirrored = (disp[:, partner, :] * flip).reshape(len(expr), -1)
        q, _ = np.linalg.qr(basis.T)
        outside = mirrored - (mirrored @ q) @ q.T
        frac = np.linalg.norm(outside, axis=1) / np.maximum(np.linalg.norm(mirrored, axis=1), 1e-12)
        print(f"{sys.argv[2]}: {len(expr)} faces, mirrored expression outside the span: "
              f"median {np.median(frac):.3f}, p90 {np.percentile(frac, 90):.3f}")


if __name__ == "__main__":
    main()
