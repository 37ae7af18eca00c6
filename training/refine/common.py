"""The mesh displacement of an expression delta (the refiner's fidelity term)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from training.facemodel.model_io import read_model

REPO = Path(__file__).resolve().parents[2]


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
