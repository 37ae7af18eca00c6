"""Convert the BlazeFace, FaceMesh and Iris tfjs graph models shipped by @vladmandic/human to ONNX.

Run from the repository root with the conversion venv (see requirements.txt):

    python3 -m venv training/.venv-convert
    training/.venv-convert/bin/pip install -r training/convert/requirements.txt
    training/.venv-convert/bin/python training/convert/convert_human.py

Writes packages/extractor/models/{blazeface,facemesh,iris}.onnx and models.json, then checks every
ONNX model against the original tfjs graph executed by TensorFlow (random input and a real photo)
and prints the max abs difference per output.

Two workarounds are needed for tf2onnx 1.17 with current TensorFlow/numpy:
- tfjs drops the `TArgs` attribute of `_FusedConv2D`; TensorFlow's shape inference requires it, so
  the script adds it to a patched copy of model.json before conversion.
- tf2onnx still calls `np.product` (removed in numpy 2); it is aliased to `np.prod`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import runpy
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
EXTRACTOR = REPO / "packages" / "extractor"
HUMAN = EXTRACTOR / "node_modules" / "@vladmandic" / "human"
OUT_DIR = EXTRACTOR / "models"
SAMPLE = EXTRACTOR / "node_modules" / "@vladmandic" / "face-api" / "demo" / "sample1.jpg"
OPSET = 17

# name -> (input size, input value range) as the TypeScript pre-processing feeds them.
MODELS = {
    "blazeface": (256, (-1.0, 1.0)),
    "facemesh": (192, (0.0, 1.0)),
    "iris": (64, (0.0, 1.0)),
}


def patch_model_json(src: Path, dst_dir: Path) -> Path:
    """Copy a tfjs model with `TArgs` added to fused ops so TensorFlow can import the graph."""
    model = json.loads(src.read_text())
    for node in model["modelTopology"]["node"]:
        if node["op"] in ("_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul"):
            attr = node.setdefault("attr", {})
            if "TArgs" not in attr:
                num_args = int(attr.get("num_args", {}).get("i", "0"))
                dtype = attr.get("T", {}).get("type", "DT_FLOAT")
                attr["TArgs"] = {"list": {"type": [dtype] * num_args}}
    dst = dst_dir / src.name
    dst.write_text(json.dumps(model))
    for group in model["weightsManifest"]:
        for path in group["paths"]:
            shutil.copy(src.parent / path, dst_dir / path)
    return dst


def run_tf2onnx(model_json: Path, output: Path) -> None:
    np.product = np.prod  # type: ignore[attr-defined]  # tf2onnx 1.17 still uses it
    argv = sys.argv
    sys.argv = ["tf2onnx.convert", "--tfjs", str(model_json), "--output", str(output), "--opset", str(OPSET)]
    try:
        runpy.run_module("tf2onnx.convert", run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise
    finally:
        sys.argv = argv


def read_weights(model: dict, base: Path) -> dict[str, np.ndarray]:
    weights: dict[str, np.ndarray] = {}
    for group in model["weightsManifest"]:
        data = b"".join((base / p).read_bytes() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            count = int(np.prod(w["shape"], dtype=np.int64))
            q = w.get("quantization")
            dtype = np.dtype(q["dtype"] if q else w["dtype"])
            arr = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
            offset += arr.nbytes
            if q and "scale" in q:
                arr = arr.astype(w["dtype"]) * q["scale"] + q["min"]
            weights[w["name"]] = arr.astype(w["dtype"]).reshape(w["shape"])
    return weights


def _prelu_nodes(name: str, x: str, alpha: str) -> list[dict]:
    """tfjs Prelu (x > 0 ? x : alpha * x) from ops that stock TensorFlow has."""
    t = {"T": {"type": "DT_FLOAT"}}
    return [
        {"name": f"{name}/_pos", "op": "Relu", "input": [x], "attr": t},
        {"name": f"{name}/_negx", "op": "Neg", "input": [x], "attr": t},
        {"name": f"{name}/_negrelu", "op": "Relu", "input": [f"{name}/_negx"], "attr": t},
        {"name": f"{name}/_negpart", "op": "Mul", "input": [alpha, f"{name}/_negrelu"], "attr": t},
        {"name": name, "op": "Sub", "input": [f"{name}/_pos", f"{name}/_negpart"], "attr": t},
    ]


def unfuse_tfjs_ops(nodes: list[dict]) -> list[dict]:
    """Rewrite the tfjs-only ops (Prelu, Conv2D fused with Prelu) into stock TensorFlow ops."""
    out: list[dict] = []
    conv_attrs = ("T", "strides", "padding", "dilations", "data_format", "explicit_paddings", "use_cudnn_on_gpu")
    for node in nodes:
        if node["op"] == "Prelu":
            out += _prelu_nodes(node["name"], node["input"][0], node["input"][1])
            continue
        if node["op"] == "_FusedConv2D":
            fused = [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"].get("s", [])]
            if "Prelu" in fused:
                assert fused == ["BiasAdd", "Prelu"], fused
                name, (x, w, b, alpha) = node["name"], node["input"]
                attr = {k: v for k, v in node["attr"].items() if k in conv_attrs}
                out.append({"name": f"{name}/_conv", "op": "Conv2D", "input": [x, w], "attr": attr})
                out.append({"name": f"{name}/_bias", "op": "BiasAdd", "input": [f"{name}/_conv", b],
                            "attr": {"T": {"type": "DT_FLOAT"}}})
                out += _prelu_nodes(name, f"{name}/_bias", alpha)
                continue
        out.append(node)
    return out


def tf_reference(model_json: Path):
    """Build the original tfjs graph in TensorFlow; returns (run(x) -> {output: array}, output names)."""
    import tensorflow as tf
    from google.protobuf import json_format
    from tensorflow.core.framework import graph_pb2

    model = json.loads(model_json.read_text())
    weights = read_weights(model, model_json.parent)
    topo = model["modelTopology"]
    graph_def = json_format.ParseDict({"node": unfuse_tfjs_ops(topo["node"]), "versions": topo.get("versions", {})},
                                      graph_pb2.GraphDef(), ignore_unknown_fields=True)
    for node in graph_def.node:
        if node.op == "Const" and node.name in weights:
            node.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(weights[node.name]))
    consumed = {i.split(":")[0].lstrip("^") for n in graph_def.node for i in n.input}
    outputs = sorted(n.name for n in graph_def.node if n.name not in consumed and n.op != "Const")
    placeholder = next(n.name for n in graph_def.node if n.op == "Placeholder")
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.import_graph_def(graph_def, name="")
    sess = tf.compat.v1.Session(graph=graph)

    def run(x: np.ndarray) -> dict[str, np.ndarray]:
        vals = sess.run([f"{o}:0" for o in outputs], {f"{placeholder}:0": x})
        return dict(zip(outputs, vals))

    return run, outputs


def sample_input(size: int, lo: float, hi: float) -> np.ndarray:
    """The sample photo, centre-cropped to a square and resized, scaled to [lo, hi]."""
    import tensorflow as tf

    img = tf.io.decode_jpeg(tf.io.read_file(str(SAMPLE)), channels=3)
    h, w = int(img.shape[0]), int(img.shape[1])
    s = min(h, w)
    img = tf.image.crop_to_bounding_box(img, (h - s) // 2, (w - s) // 2, s, s)
    img = tf.image.resize(tf.cast(img, tf.float32), (size, size)).numpy()
    return (img / 255.0 * (hi - lo) + lo)[None].astype(np.float32)


def verify(name: str, model_json: Path, onnx_path: Path) -> dict[str, float]:
    import onnxruntime as ort

    size, (lo, hi) = MODELS[name]
    run_tf, tf_outputs = tf_reference(model_json)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    inputs = {
        "random": rng.uniform(lo, hi, (1, size, size, 3)).astype(np.float32),
        "photo": sample_input(size, lo, hi),
    }
    onnx_outputs = [o.name for o in sess.get_outputs()]
    diffs: dict[str, float] = {}
    for label, x in inputs.items():
        ref = run_tf(x)
        got = dict(zip(onnx_outputs, sess.run(None, {sess.get_inputs()[0].name: x})))
        for tf_name, ref_val in ref.items():
            # tf2onnx keeps tensor names ("Identity:0") or signature keys; match by name, then by shape.
            key = next((k for k in got if k.split(":")[0] == tf_name), None)
            if key is None:
                key = next(k for k in got if got[k].shape == ref_val.shape)
            diff = float(np.max(np.abs(got[key] - ref_val)))
            scale = float(np.max(np.abs(ref_val)))
            diffs[f"{label}/{key}"] = diff
            print(f"  {name} {label:6s} {key:24s} shape={list(ref_val.shape)} max|ref|={scale:.4g} "
                  f"max abs diff={diff:.3g}")
    return diffs


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    human_version = json.loads((HUMAN / "package.json").read_text())["version"]
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in MODELS:
            work = Path(tmp) / name
            work.mkdir()
            patched = patch_model_json(HUMAN / "models" / f"{name}.json", work)
            out = args.out / f"{name}.onnx"
            print(f"converting {name} -> {out.relative_to(REPO)}")
            run_tf2onnx(patched, out)
            diffs = {} if args.skip_verify else verify(name, patched, out)
            manifest.append({
                "file": out.name,
                "sha256": sha256(out),
                "bytes": out.stat().st_size,
                "source": {
                    "package": "@vladmandic/human",
                    "version": human_version,
                    "files": [f"models/{name}.json", f"models/{name}.bin"],
                },
                "inputSize": MODELS[name][0],
                "inputRange": list(MODELS[name][1]),
                "conversion": "training/.venv-convert/bin/python training/convert/convert_human.py "
                              f"(tf2onnx --tfjs --opset {OPSET})",
                "parityMaxAbsDiff": diffs,
            })
    # Other scripts add their own models to the same manifest: replace only the entries written here.
    manifest_path = args.out / "models.json"
    existing = json.loads(manifest_path.read_text())["models"] if manifest_path.exists() else []
    written = {m["file"] for m in manifest}
    merged = [m for m in existing if m["file"] not in written] + manifest
    manifest_path.write_text(json.dumps({"models": sorted(merged, key=lambda m: m["file"])}, indent=2) + "\n")
    print(f"wrote {(args.out / 'models.json').relative_to(REPO)}")


if __name__ == "__main__":
    main()
