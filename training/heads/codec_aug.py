"""Decoded-descriptor augmentation: run the codec's ONNX analysis -> round -> synthesis per rate point."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort

from training.codec.layout import profile_indices


class CodecRoundTrip:
    """All models of a codec manifest usable for a task profile (its own profile and 'full')."""

    def __init__(self, models_dir: Path, task_profile: str) -> None:
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

    def names(self) -> list[str]:
        return [f"{m['profile']}-r{m['rateIndex']}" for m, _, _ in self.entries]

    def decode_all(self, x257: np.ndarray) -> list[np.ndarray]:
        """x257 (N, 257) -> one decoded (N, 257) array per model (fields outside its profile zeroed)."""
        out = []
        for m, a, s in self.entries:
            idx = profile_indices(m["profile"])
            y = a.run(None, {a.get_inputs()[0].name: x257[:, idx].astype(np.float32)})[0]
            y_hat = np.clip(np.round(y), -32767, 32767).astype(np.float32)
            x_hat = s.run(None, {s.get_inputs()[0].name: y_hat})[0]
            dec = np.zeros_like(x257)
            dec[:, idx] = x_hat
            out.append(dec)
        return out
