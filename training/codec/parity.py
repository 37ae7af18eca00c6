"""PyTorch-vs-ONNX parity fixtures for packages/codec-core/src/models/parity.test.ts.

Inputs are generated (mean + std * seeded normal noise, from the model's own normalisation),
never real data. Expected outputs come from the frozen PyTorch modules.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .export import frozen_outputs, model_id
from .model import DescriptorCodec

ROWS = 4


def write_parity_fixture(path: Path, model: DescriptorCodec, files: dict[str, bytes], profile: str, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    mean = model.mean.numpy()
    std = model.std.numpy()
    x = (mean + std * rng.normal(size=(ROWS, len(mean)))).astype(np.float32)
    y, y_hat, x_hat = frozen_outputs(model, x)
    fixture = {
        "modelId": model_id(files),
        "profile": profile,
        "rows": ROWS,
        "inputDim": int(len(mean)),
        "latentDim": int(y.shape[1]),
        "x": [float(v) for v in x.ravel()],
        "y": [float(v) for v in y.ravel()],
        "yHat": [int(v) for v in y_hat.ravel()],
        "xHat": [float(v) for v in x_hat.ravel()],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture) + "\n", encoding="utf-8")
