"""Reads and writes the semface face-model files.

The format is data: packages/face-model/contracts/face-model-format.json (file names, block order and
element types, byte order, alignment), the file @semface/face-model compiles into TypeScript, so Python
never reads .ts. face-model.json: header (format, version, counts, landmarks, prior, blocks, blob size +
sha256, training). face-model.bin: the blocks' arrays at aligned offsets, zero-padded.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

SPEC_JSON = Path(__file__).resolve().parents[2] / "packages" / "face-model" / "contracts" / "face-model-format.json"
SPEC = json.loads(SPEC_JSON.read_text(encoding="utf-8"))
FORMAT = SPEC["format"]
VERSION = SPEC["version"]
BLOCKS = [(b["name"], b["dtype"]) for b in SPEC["blocks"]]
ALIGN = SPEC["alignment"]
# Spec dtype names are numpy names; the spec also fixes the byte order and element sizes.
DTYPES = {name: np.dtype(name).newbyteorder("<" if SPEC["byteOrder"] == "little" else ">") for name in SPEC["dtypes"]}
if any(DTYPES[n].itemsize != size for n, size in SPEC["dtypes"].items()):
    raise RuntimeError(f"{SPEC_JSON}: element sizes do not match the dtype names")


def write_model(out_dir: Path, arrays: dict, landmarks: dict, prior: dict, training: dict) -> dict:
    """Writes the model files; returns the header."""
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = []
    blocks = []
    offset = 0
    for name, dtype in BLOCKS:
        a = np.ascontiguousarray(arrays[name], dtype=DTYPES[dtype])
        if a.ndim == 1:
            a = a.reshape(1, -1)
        raw = a.tobytes()
        pad = (-len(raw)) % ALIGN
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
    (out_dir / SPEC["files"]["blob"]).write_bytes(blob)
    (out_dir / SPEC["files"]["header"]).write_text(json.dumps(header, indent=2) + "\n")
    return header


def read_model(model_dir: Path) -> tuple[dict, dict]:
    """Reads a model directory; returns (header, arrays)."""
    header = json.loads((model_dir / SPEC["files"]["header"]).read_text())
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ValueError(f"{model_dir}: not a {FORMAT} v{VERSION} model")
    blob = (model_dir / SPEC["files"]["blob"]).read_bytes()
    if hashlib.sha256(blob).hexdigest() != header["blob"]["sha256"]:
        raise ValueError("face-model.bin sha256 mismatch")
    info = {b["name"]: b for b in header["blocks"]}
    arrays = {}
    for name, dtype in BLOCKS:
        b = info[name]
        if b["dtype"] != dtype:
            raise ValueError(f"block {name} has dtype {b['dtype']}, the format says {dtype}")
        n = int(np.prod(b["shape"]))
        arrays[name] = np.frombuffer(blob, dtype=DTYPES[dtype], count=n, offset=b["offset"]).reshape(b["shape"]).copy()
    return header, arrays
