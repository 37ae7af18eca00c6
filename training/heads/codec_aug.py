"""Decoded-descriptor augmentation: run the codec's ONNX analysis -> quantise -> synthesis per rate point
(quantisation as codec-core does it: training/codec/quantise.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort

from training.codec.layout import profile_indices
from training.codec.quantise import quantise


class CodecRoundTrip:
    """All models of a codec manifest usable for a task profile: its own profile's, and the full
    models both on full descriptors and carrying only the task profile (inputs outside it zeroed,
    as codec-core's encode option modelProfile sends them)."""

    def __init__(self, models_dir: Path, task_profile: str) -> None:
        self.task_profile = task_profile
        self.entries = []
        manifest = models_dir / "manifest.json"
        if not manifest.exists():
            return
        for m in json.loads(manifest.read_text())["models"]:
            if m["profile"] not in (task_profile, "full"):
                continue
            d = models_dir / m["id"]
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1
            a = ort.InferenceSession(str(d / m["files"]["analysis"]), opts)
            s = ort.InferenceSession(str(d / m["files"]["synthesis"]), opts)
            self.entries.append((m, a, s))

    def _runs(self) -> list[tuple[str, dict, ort.InferenceSession, ort.InferenceSession, str]]:
        """(name, entry, analysis, synthesis, carried profile) per variant."""
        runs = []
        for m, a, s in self.entries:
            runs.append((f"{m['profile']}-r{m['rateIndex']}", m, a, s, m["profile"]))
            if m["profile"] != self.task_profile:
                runs.append((f"{m['profile']}-r{m['rateIndex']}-as-{self.task_profile}", m, a, s, self.task_profile))
        return runs

    def names(self) -> list[str]:
        return [name for name, *_ in self._runs()]

    def decode_all(self, x257: np.ndarray) -> list[np.ndarray]:
        """x257 (N, 257) -> one decoded (N, 257) array per variant (fields outside the carried profile zeroed)."""
        out = []
        for _, m, a, s, carried in self._runs():
            idx = profile_indices(m["profile"])
            keep = profile_indices(carried)
            x_in = np.zeros_like(x257, dtype=np.float32)
            x_in[:, keep] = x257[:, keep]
            y = a.run(None, {a.get_inputs()[0].name: x_in[:, idx]})[0]
            y_hat = quantise(y).astype(np.float32)  # codec-core's rule and clamp (the data contract)
            x_hat = s.run(None, {s.get_inputs()[0].name: y_hat})[0]
            dec = np.zeros_like(x257)
            dec[:, idx] = x_hat
            dec[:, np.setdiff1d(idx, keep)] = 0
            out.append(dec)
        return out
