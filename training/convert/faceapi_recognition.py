"""Convert @vladmandic/face-api's face recognition model (128-D descriptor, tfjs weight map) to ONNX.

Usage (from the repo root)::

    training/.venv/bin/python training/convert/faceapi_recognition.py \
        [--manifest .../face_recognition_model-weights_manifest.json] \
        [--out packages/extractor/models/face-recognition.onnx] \
        [--fixtures packages/extractor/src/embed/fixtures] [--parity-dir /tmp/parity/out]

Writes the ONNX model (input ``image`` float32 [N,150,150,3] RGB 0..255, output ``descriptor`` [N,128]),
checks it against an unfolded float64 numpy forward pass, adds its entry to models.json, and writes the
synthetic parity fixture
(``synthetic-crop.rgb``: 150x150 RGB uint8; ``synthetic-crop.expected.json``: its descriptor).

With ``--parity-dir DIR`` (the output of faceapi/reference/faceapi_reference.mjs: face-api itself run on
its demo photos) it also runs the ONNX model on the exact 150x150 inputs face-api fed its network and
prints the max abs difference / min cosine against face-api's descriptors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faceapi.recognition_net import INPUT_SIZE, build_recognition_model, reference_forward  # noqa: E402
from faceapi.weights import Quantized, load_weight_map  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MANIFEST = (
    REPO / "packages/extractor/node_modules/@vladmandic/face-api/model/face_recognition_model-weights_manifest.json"
)


def synthetic_crop() -> np.ndarray:
    """A deterministic face-sized test pattern: smooth gradients, a bright ellipse and two dark 'eyes'."""
    y, x = np.mgrid[0:INPUT_SIZE, 0:INPUT_SIZE].astype(np.float64)
    r = 128 + 90 * np.sin(x / 17.0) * np.cos(y / 23.0)
    g = 110 + 0.6 * x - 0.3 * y
    b = 60 + 120 * (((x - 75) / 50) ** 2 + ((y - 80) / 65) ** 2 < 1)
    img = np.stack([r, g, b], axis=-1)
    for cx in (52, 98):
        img[(x - cx) ** 2 + (y - 62) ** 2 < 64] = (30, 20, 25)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def faceapi_parity(sess: ort.InferenceSession, parity_dir: Path) -> dict[str, float]:
    faces = json.loads((parity_dir / "faceapi-demo.json").read_text())["faces"]
    worst, worst_l2, min_cos = 0.0, 0.0, 1.0
    for f in faces:
        x = np.fromfile(parity_dir / "net-inputs" / f"{f['tag']}.f32", dtype=np.float32).reshape(1, INPUT_SIZE, INPUT_SIZE, 3)
        got = sess.run(None, {"image": x})[0][0].astype(np.float64)
        ref = np.array(f["descriptor"], dtype=np.float64)
        worst = max(worst, float(np.abs(got - ref).max()))
        worst_l2 = max(worst_l2, float(np.linalg.norm(got - ref)))
        min_cos = min(min_cos, float(got @ ref / np.linalg.norm(got) / np.linalg.norm(ref)))
    print(f"onnx vs face-api (tfjs cpu) on {len(faces)} demo faces: max abs diff {worst:.3g}, "
          f"max euclidean distance {worst_l2:.3g}, min cosine {min_cos:.9f}")
    return {"faces": len(faces), "maxAbsDiff": worst, "maxEuclidean": worst_l2, "minCosine": min_cos}


def write_manifest_entry(out: Path, manifest: Path, parity: dict) -> None:
    """Adds/replaces this model's entry in models.json beside it (other converters own the other entries)."""
    package = json.loads((manifest.parent.parent / "package.json").read_text())
    entry = {
        "file": out.name,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "bytes": out.stat().st_size,
        "source": {
            "package": package["name"],
            "version": package["version"],
            "files": [f"model/{manifest.name}", "model/face_recognition_model.bin"],
        },
        "inputSize": INPUT_SIZE,
        "inputRange": [0.0, 255.0],
        "inputLayout": "NHWC RGB; face-api preprocessing ((x - [122.782, 117.001, 104.298]) / 255) is inside the graph",
        "output": "descriptor [N, 128]; same person when euclidean distance < 0.6",
        "conversion": "training/.venv/bin/python training/convert/faceapi_recognition.py (graph rebuilt with "
        "onnx.helper from face-api's FaceRecognitionNet source, opset 17, uint8 weights dequantised in-graph)",
        "parity": parity,
    }
    path = out.parent / "models.json"
    existing = json.loads(path.read_text())["models"] if path.exists() else []
    merged = [m for m in existing if m["file"] != out.name] + [entry]
    path.write_text(json.dumps({"models": sorted(merged, key=lambda m: m["file"])}, indent=2) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    ap.add_argument("--out", type=Path, default=REPO / "packages/extractor/models/face-recognition.onnx")
    ap.add_argument("--fixtures", type=Path, default=REPO / "packages/extractor/src/embed/fixtures")
    ap.add_argument("--parity-dir", type=Path, default=None)
    args = ap.parse_args()

    quantized: dict[str, Quantized] = {}
    weights = load_weight_map(args.manifest, quantized)
    model = build_recognition_model(weights, quantized)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, args.out)

    crop = synthetic_crop()
    rng = np.random.default_rng(1234)
    batch = np.stack([crop, rng.integers(0, 256, crop.shape, dtype=np.uint8)]).astype(np.float32)
    sess = ort.InferenceSession(str(args.out), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"image": batch})[0]
    ref = reference_forward(weights, batch)
    diff = np.abs(got - ref).max()
    cos = [float(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b)) for a, b in zip(got, ref)]
    print(f"onnx vs float64 reference: max abs diff {diff:.3g}, cosine {min(cos):.9f}, |d| {np.linalg.norm(ref, axis=1)}")
    if diff > 1e-4:
        raise SystemExit("ONNX graph does not match the reference forward pass")

    args.fixtures.mkdir(parents=True, exist_ok=True)
    (args.fixtures / "synthetic-crop.rgb").write_bytes(crop.tobytes())
    (args.fixtures / "synthetic-crop.expected.json").write_text(
        json.dumps(
            {
                "description": "descriptor of synthetic-crop.rgb (150x150 RGB uint8, row-major) by the float64 "
                "reference of face-api's FaceRecognitionNet (training/convert/faceapi_recognition.py)",
                "width": INPUT_SIZE,
                "height": INPUT_SIZE,
                "descriptor": [round(float(v), 7) for v in ref[0]],
            },
            indent=1,
        )
        + "\n"
    )
    parity = {"synthetic/maxAbsDiffVsFloat64Reference": float(diff)}
    if args.parity_dir is not None:
        parity["faceapiDemo"] = faceapi_parity(sess, args.parity_dir)
    write_manifest_entry(args.out, args.manifest, parity)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) and fixtures in {args.fixtures}")


if __name__ == "__main__":
    main()
