"""Rate-distortion of exported models, measured on the exported files themselves.

The ONNX graphs run in onnxruntime and bits come from the frozen integer CDFs, so the numbers
describe exactly what packages/codec-core will do (bits are ideal code lengths; a real
arithmetic coder adds a few bits of termination per frame).
"""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort

from . import layout
from .cdf import estimate_bits


class ExportedModel:
    def __init__(self, files: dict[str, bytes]) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.analysis = ort.InferenceSession(files["analysis.onnx"], options, providers=["CPUExecutionProvider"])
        self.synthesis = ort.InferenceSession(files["synthesis.onnx"], options, providers=["CPUExecutionProvider"])
        self.tables = json.loads(files["cdf.json"])

    def roundtrip(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw profile rows -> (integer latents, reconstruction)."""
        y = self.analysis.run(["y"], {"x": np.asarray(x, dtype=np.float32)})[0]
        q = np.floor(y + 0.5).astype(np.float32)
        x_hat = self.synthesis.run(["x_hat"], {"y_hat": q})[0]
        return q.astype(np.int64), x_hat


def _field_mae(x: np.ndarray, x_hat: np.ndarray, profile: str) -> dict[str, float]:
    return {name: float(np.mean(np.abs(x[:, s] - x_hat[:, s]))) for name, s in profile_slices(profile).items()}


def profile_slices(profile: str) -> dict[str, slice]:
    return layout.profile_field_slices(profile)


def evaluate(model: ExportedModel, x_eval_full: np.ndarray, profile: str) -> dict[str, object]:
    """Metrics of a profile model on held-out full descriptors."""
    cols = layout.profile_indices(profile)
    x = x_eval_full[:, cols]
    q, x_hat = model.roundtrip(x)
    bits = estimate_bits(q, model.tables)
    std = x.std(axis=0)
    std = np.where(std < 1e-6, 1.0, std)
    return {
        "rows": int(len(x)),
        "bitsPerDescriptor": float(bits.mean()),
        "bitsPerDescriptorP95": float(np.percentile(bits, 95)),
        "escapesPerDescriptor": float(_escapes(q, model.tables).mean()),
        "maeNormalised": float(np.mean(np.abs(x - x_hat) / std)),
        "mae": _field_mae(x, x_hat, profile),
    }


def evaluate_zero_filled(full_model: ExportedModel, x_eval_full: np.ndarray, profile: str) -> dict[str, object]:
    """The full model fed descriptors whose fields outside `profile` are zero (the paper's Fig. 3)."""
    cols = layout.profile_indices(profile)
    x_in = np.zeros_like(x_eval_full)
    x_in[:, cols] = x_eval_full[:, cols]
    q, x_hat = full_model.roundtrip(x_in)
    bits = estimate_bits(q, full_model.tables)
    return {
        "rows": int(len(x_in)),
        "bitsPerDescriptor": float(bits.mean()),
        "bitsPerDescriptorP95": float(np.percentile(bits, 95)),
        "mae": _field_mae(x_in[:, cols], x_hat[:, cols], profile),
    }


def _escapes(q: np.ndarray, tables: dict[str, object]) -> np.ndarray:
    mins = np.asarray(tables["min"], dtype=np.int64)
    counts = np.asarray([len(c) - 2 for c in tables["cdf"]], dtype=np.int64)  # type: ignore[union-attr]
    sym = q - mins
    return ((sym < 0) | (sym >= counts)).sum(axis=1)
