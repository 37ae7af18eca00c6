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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from facemodel.build import mirror_partners, mirror_rows  # noqa: E402
from facemodel.model_io import read_model  # noqa: E402


def outside_span(rows: np.ndarray, basis: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Fraction of each mirrored row (N x V*3) that lies outside span(basis) (rows of `basis`)."""
    mirrored = mirror_rows(rows, partner)
    q, _ = np.linalg.qr(basis.T)
    outside = mirrored - (mirrored @ q) @ q.T
    return np.linalg.norm(outside, axis=1) / np.maximum(np.linalg.norm(mirrored, axis=1), 1e-12)


def mirror_residuals(mean: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Fraction of each mirrored basis vector (rows of `basis`, V*3) outside span(basis)."""
    return outside_span(basis, basis, mirror_partners(mean))


def main() -> None:
    model_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("packages/extractor/models/face-model")
    _, arrays = read_model(model_dir)
    basis = arrays["expressionBasis"].astype(np.float64)
    r = mirror_residuals(arrays["meanShape"], basis)
    print("outside the span, per component:", " ".join(f"{x:.2f}" for x in r))
    print(f"first 8 mean {r[:8].mean():.3f}, all mean {r.mean():.3f}")
    if len(sys.argv) > 2:
        expr = np.load(sys.argv[2])[:, 80:144].astype(np.float64)
        frac = outside_span(expr @ basis, basis, mirror_partners(arrays["meanShape"]))
        print(f"{sys.argv[2]}: {len(expr)} faces, mirrored expression outside the span: "
              f"median {np.median(frac):.3f}, p90 {np.percentile(frac, 90):.3f}")


if __name__ == "__main__":
    main()
