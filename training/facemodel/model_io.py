"""Reads and writes the semface face-model files (see packages/extractor/src/fit/face-model-format.ts).

face-model.json: header (format, version, counts, landmarks, prior, blocks, blob size + sha256, training).
face-model.bin: little-endian arrays at 4-byte aligned offsets.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

FORMAT = "semface-face-model"
VERSION = 1
BLOCKS = [
    ("meanShape", "float32"),
    ("identityBasis", "float32"),
    ("expressionBasis", "float32"),
    ("meanAlbedo", "float32"),
    ("textureBasis", "float32"),
    ("triangles", "uint16"),
]


def write_model(out_dir: Path, arrays: dict, landmarks: dict, prior: dict, training: dict) -> dict:
    """Writes the model files; returns the header."""
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = []
    blocks = []
    offset = 0
    for name, dtype in BLOCKS:
        a = np.ascontiguousarray(arrays[name], dtype="<f4" if dtype == "float32" else "<u2")
        if a.ndim == 1:
            a = a.reshape(1, -1)
        raw = a.tobytes()
        pad = (-len(raw)) % 4
        blocks.append({"name": name, "dtype": dtype, "shape": list(a.shape), "offset": offset})
        parts.append(raw + b"\0" * pad)
        offset += len(raw) + pad
    blob = b"".join(parts)
    assert len(blob) == offset
    mean = np.asarray(arrays["meanShape"])
    header = {
        "format": FORMAT,
        "version": VERSION,
        "vertexCount": int(mean.reshape(-1, 3).shape[0]),
        "triangleCount": int(np.asarray(arrays["triangles"]).reshape(-1, 3).shape[0]),
        "components": {
            "identity": int(arrays["identityBasis"].shape[0]),
            "expression": int(arrays["expressionBasis"].shape[0]),
            "texture": int(arrays["textureBasis"].shape[0]),
        },
        "landmarks": landmarks,
        "prior": {k: float(v) for k, v in prior.items()},
        "blocks": blocks,
        "blob": {"bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()},
        "training": training,
    }
    (out_dir / "face-model.bin").write_bytes(blob)
    (out_dir / "face-model.json").write_text(json.dumps(header, indent=2) + "\n")
    return header


def read_model(model_dir: Path) -> tuple[dict, dict]:
    """Reads a model directory; returns (header, arrays)."""
    header = json.loads((model_dir / "face-model.json").read_text())
    blob = (model_dir / "face-model.bin").read_bytes()
    if hashlib.sha256(blob).hexdigest() != header["blob"]["sha256"]:
        raise ValueError("face-model.bin sha256 mismatch")
    arrays = {}
    for b in header["blocks"]:
        dt = "<f4" if b["dtype"] == "float32" else "<u2"
        n = int(np.prod(b["shape"]))
        arrays[b["name"]] = np.frombuffer(blob, dtype=dt, count=n, offset=b["offset"]).reshape(b["shape"]).copy()
    return header, arrays
