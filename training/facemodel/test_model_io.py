"""Parity of the face-model files with @semface/face-model (TypeScript).

packages/face-model/contracts/face-model-format.json is the one format spec both sides read;
contracts/parity/ holds a small model written by the TypeScript encoder (packages/face-model/src/
face-model.test.ts builds the same model): Python must write the same bytes and read the same arrays.
"""
from __future__ import annotations

import json

import numpy as np

from .model_io import BLOCKS, FORMAT, SPEC, SPEC_JSON, read_model, write_model

PARITY_DIR = SPEC_JSON.parent / "parity"
SHIPPED_DIR = SPEC_JSON.parents[2] / "extractor" / "models" / "face-model"


def _values(n: int, seed: int) -> np.ndarray:
    return np.array([(((i + seed) * 37) % 101) / 64 - 0.75 for i in range(n)], dtype=np.float32)


def _parity_arrays() -> dict:
    return {
        "meanShape": _values(12, 1).reshape(4, 3),
        "identityBasis": _values(24, 2).reshape(2, 12),
        "expressionBasis": _values(36, 3).reshape(3, 12),
        "meanAlbedo": _values(12, 4).reshape(4, 3),
        "textureBasis": _values(12, 5).reshape(1, 12),
        "triangles": np.array([0, 1, 2, 0, 2, 3, 1, 3, 2], dtype=np.uint16).reshape(3, 3),
    }


def test_spec_is_the_one_typescript_compiles() -> None:
    assert FORMAT == "semface-face-model" and SPEC["version"] == 1
    assert [name for name, _ in BLOCKS] == [
        "meanShape", "identityBasis", "expressionBasis", "meanAlbedo", "textureBasis", "triangles",
    ]
    generated = (SPEC_JSON.parents[1] / "src" / "generated" / "format-spec.ts").read_text(encoding="utf-8")
    assert json.dumps(SPEC, indent=2) in generated


def test_python_writes_the_typescript_bytes(tmp_path) -> None:
    ts_header = json.loads((PARITY_DIR / "face-model.json").read_text())
    header = write_model(
        tmp_path, _parity_arrays(), ts_header["landmarks"], ts_header["prior"], ts_header["training"]
    )
    assert (tmp_path / "face-model.bin").read_bytes() == (PARITY_DIR / "face-model.bin").read_bytes()
    assert header == ts_header


def test_python_reads_the_typescript_file() -> None:
    _, arrays = read_model(PARITY_DIR)
    for name, want in _parity_arrays().items():
        assert arrays[name].dtype == want.dtype and np.array_equal(arrays[name], want), name


def test_reads_the_shipped_model() -> None:
    header, arrays = read_model(SHIPPED_DIR)
    v = header["vertexCount"]
    assert arrays["meanShape"].shape == (v, 3)
    assert arrays["expressionBasis"].shape == (header["components"]["expression"], 3 * v)
    assert arrays["triangles"].dtype == np.dtype("<u2")
