"""ONNX export of a head and the SDK heads manifest (packages/sdk/models/manifest.json)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import onnx
import torch
from torch import nn

REPO_ROOT = Path(__file__).resolve().parents[2]
SDK_MODELS = REPO_ROOT / "packages" / "sdk" / "models"


def export_onnx(module: nn.Module, d_in: int, output_name: str) -> bytes:
    module.eval()
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            module,
            (torch.zeros(2, d_in),),
            buf,
            input_names=["x"],
            output_names=[output_name],
            dynamic_axes={"x": {0: "n"}, output_name: {0: "n"}},
            opset_version=17,
            dynamo=False,
        )
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def write_head(out_dir: Path, entry: dict, data: bytes) -> dict:
    """Writes the ONNX file and upserts its manifest entry (same kind + fold replaced)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / entry["file"]).write_bytes(data)
    entry = {**entry, "sha256": hashlib.sha256(data).hexdigest()}
    path = out_dir / "manifest.json"
    manifest = json.loads(path.read_text()) if path.exists() else {"format": "semface-heads", "version": 1, "heads": []}
    heads = [h for h in manifest["heads"] if not (h["kind"] == entry["kind"] and h.get("fold") == entry.get("fold"))]
    heads.append(entry)
    heads.sort(key=lambda h: (h["kind"], -1 if h.get("fold") is None else h["fold"]))
    manifest["heads"] = heads
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return entry
