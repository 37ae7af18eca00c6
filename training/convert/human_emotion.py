"""Convert the emotion classifier shipped by @vladmandic/human (tfjs graph model) to ONNX.

Reuses training/convert/convert_human.py (tfjs patching, tf2onnx, TensorFlow reference, models.json
merge); only the input differs: one grayscale channel. Run from the repository root with the
conversion venv:

    training/.venv-convert/bin/python training/convert/human_emotion.py

Model: oarriaga/face_classification mini-Xception trained on FER2013. Input ``input_1`` float32
[N, 64, 64, 1], grayscale ``0.2989 R + 0.587 G + 0.114 B`` of the face crop (RGB in [0, 1]) mapped to
[-1, 1] by ``(g - 0.5) * 2`` (human's src/gear/emotion.ts). Output: softmax over
angry, disgust, fear, happy, sad, surprise, neutral (FER2013 order).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_human as ch  # noqa: E402

NAME = "emotion"
SIZE = 64
LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
GRAY = np.array([0.2989, 0.5870, 0.1140], dtype=np.float32)


def gray_sample() -> np.ndarray:
    """The sample photo centre-cropped, resized to 64x64 and converted as human does."""
    rgb = ch.sample_input(SIZE, 0.0, 1.0)[0]
    return (((rgb * GRAY).sum(-1, keepdims=True) - 0.5) * 2.0)[None].astype(np.float32)


def verify(model_json: Path, onnx_path: Path) -> dict[str, float]:
    import onnxruntime as ort

    run_tf, _ = ch.tf_reference(model_json)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    inputs = {"random": rng.uniform(-1, 1, (1, SIZE, SIZE, 1)).astype(np.float32), "photo": gray_sample()}
    diffs: dict[str, float] = {}
    for label, x in inputs.items():
        (ref,) = run_tf(x).values()
        (got,) = sess.run(None, {sess.get_inputs()[0].name: x})
        diffs[f"{label}/{sess.get_outputs()[0].name}"] = float(np.max(np.abs(got - ref)))
        print(f"  {NAME} {label:6s} ref={np.round(ref[0], 4)} max abs diff={diffs[f'{label}/{sess.get_outputs()[0].name}']:.3g}")
    return diffs


def main() -> None:
    out = ch.OUT_DIR / f"{NAME}.onnx"
    human_version = json.loads((ch.HUMAN / "package.json").read_text())["version"]
    with tempfile.TemporaryDirectory() as tmp:
        patched = ch.patch_model_json(ch.HUMAN / "models" / f"{NAME}.json", Path(tmp))
        ch.run_tf2onnx(patched, out)
        diffs = verify(patched, out)
    entry = {
        "file": out.name,
        "sha256": ch.sha256(out),
        "bytes": out.stat().st_size,
        "source": {"package": "@vladmandic/human", "version": human_version,
                   "files": [f"models/{NAME}.json", f"models/{NAME}.bin"]},
        "inputSize": SIZE,
        "inputRange": [-1.0, 1.0],
        "inputChannels": 1,
        "labels": LABELS,
        "conversion": "training/.venv-convert/bin/python training/convert/human_emotion.py "
                      f"(tf2onnx --tfjs --opset {ch.OPSET})",
        "parityMaxAbsDiff": diffs,
    }
    manifest_path = ch.OUT_DIR / "models.json"
    existing = json.loads(manifest_path.read_text())["models"] if manifest_path.exists() else []
    merged = [m for m in existing if m["file"] != entry["file"]] + [entry]
    manifest_path.write_text(json.dumps({"models": sorted(merged, key=lambda m: m["file"])}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ch.REPO)} and its models.json entry")


if __name__ == "__main__":
    main()
