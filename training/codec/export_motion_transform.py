"""Fits and exports the motion transform of the temporal stream's transform per-frame layer.

The per-frame fields (expression, rotation, translation; offsets from layout.py) are weighted per
field (rotation and translation x10, so a uniform quantiser gives them ~1/10 of the expression error,
the ratio of intra coding at its highest rate point) and rotated by the KLT (eigenvectors of the
covariance of the weighted values, descending variance) fitted on the codec's training split
(FER2013 train + LFW people outside View 1 test; never the video clips).

Writes JSON only, all integers so the file hashes to one id:
  <models>/<id>/transform.json   (id = first 12 hex digits of its SHA-256)
  <models>/manifest.json         "transforms" list (other keys are kept as they are)
then, for the default models folder, runs codec-core's contract generator
(node packages/codec-core/scripts/generate-contracts.mjs), which compiles the same JSON text into
packages/codec-core/src/temporal/motion-transform-data.ts for synchronous use (a codec-core test
fails while that file and the JSON disagree). Python never writes or reads TypeScript.

  training/.venv/bin/python -m training.codec.export_motion_transform --data artifacts/cache
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np

from . import layout
from .data import real_split

FIELDS = ("expression", "rotation", "translation")
WEIGHTS = {"expression": 1, "rotation": 10, "translation": 10}
BASIS_SCALE = 1 << 14
MEAN_UNIT = 1e-4
REPO = layout.REPO_ROOT
CODEC_CORE = REPO / "packages" / "codec-core"
GENERATOR = CODEC_CORE / "scripts" / "generate-contracts.mjs"


def head_sensitivity(head: Path, x: np.ndarray, rows: int = 2000, seed: int = 0) -> np.ndarray:
    """RMS over training rows of |d p / d x_d| (p = the expression head's class probabilities, per unit of
    each input value), by central differences at 5 % of each value's std."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(head), providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    pick = np.random.default_rng(seed).choice(len(x), min(rows, len(x)), replace=False)
    xs = x[pick].astype(np.float32)
    sd = xs.std(0)
    out = np.zeros(x.shape[1])
    for d in range(x.shape[1]):
        h = np.float32(0.05 * sd[d])
        hi, lo = xs.copy(), xs.copy()
        hi[:, d] += h
        lo[:, d] -= h
        g = (sess.run(None, {name: hi})[0] - sess.run(None, {name: lo})[0]) / (2 * float(h))
        out[d] = float(np.sqrt((g.astype(np.float64) ** 2).sum(1).mean()))
    return out


def task_weights(base: np.ndarray, sensitivity: np.ndarray, share: float) -> np.ndarray:
    """Integer weights w_d = round(sqrt(base_d² + gamma s_d²)): a uniform quantiser in the weighted space
    then spends its error budget by base_d² x (value error)² plus gamma x (head output error)², the
    head's sensitivity s_d turning a value's error into a change of the class probabilities. gamma makes
    the task term `share` of the total squared weight (fixed in advance, not tuned on any stream)."""
    gamma = share / (1 - share) * float((base**2).sum() / (sensitivity**2).sum())
    return np.maximum(1, np.round(np.sqrt(base**2 + gamma * sensitivity**2)))


def fit(train: np.ndarray, head: Path | None = None, task_share: float = 0.5) -> dict[str, object]:
    f = layout.fields()
    idx = np.concatenate([np.arange(*f[name]) for name in FIELDS])
    w = np.concatenate([np.full(f[name][1] - f[name][0], WEIGHTS[name]) for name in FIELDS]).astype(np.float64)
    x = train[:, idx].astype(np.float64)
    if head is not None:
        w = task_weights(w, head_sensitivity(head, x), task_share)
    mean_units = np.round(x.mean(0) / MEAN_UNIT).astype(int)
    centred = (x - mean_units * MEAN_UNIT) * w
    ev, vec = np.linalg.eigh(np.cov(centred.T))
    order = np.argsort(ev)[::-1]
    vec = vec[:, order]
    # Deterministic sign: the largest-magnitude entry of each basis vector is positive.
    vec *= np.sign(vec[np.argmax(np.abs(vec), axis=0), np.arange(vec.shape[1])])
    basis = np.round(vec.T * BASIS_SCALE).astype(int)  # row j = coefficient j
    return {
        "format": "semface-motion-transform",
        "version": 1,
        "fields": list(FIELDS),
        "dims": int(len(idx)),
        "meanUnit": MEAN_UNIT,
        "mean": mean_units.tolist(),
        "weight": w.astype(int).tolist(),
        "basisScale": BASIS_SCALE,
        "basis": basis.reshape(-1).tolist(),
        "coefficientStd": [round(float(s), 4) for s in np.sqrt(np.maximum(ev[order], 0))],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO / "artifacts" / "cache")
    ap.add_argument("--data-root", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--models", type=Path, default=REPO / "packages" / "codec-core" / "models")
    ap.add_argument(
        "--task-head",
        type=Path,
        help="expression head ONNX (70 inputs): weight each value also by the head's sensitivity to it",
    )
    ap.add_argument("--task-share", type=float, default=0.5, help="share of the squared weights given to the task term")
    args = ap.parse_args()
    split = real_split(args.data, args.data_root)
    params = fit(split.train, args.task_head, args.task_share)
    text = json.dumps(params, separators=(",", ":")) + "\n"
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    model_id = digest[:12]
    (args.models / model_id).mkdir(parents=True, exist_ok=True)
    (args.models / model_id / "transform.json").write_bytes(raw)
    manifest_path = args.models / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = {
        "id": model_id,
        "kind": "motion-klt",
        "fields": list(FIELDS),
        "dims": params["dims"],
        "file": "transform.json",
        "sha256": digest,
        "training": {
            "command": "training/.venv/bin/python -m training.codec.export_motion_transform --data artifacts/cache"
            + (f" --task-head {args.task_head} --task-share {args.task_share}" if args.task_head else ""),
            "data": split.description,
            "method": "KLT of field-weighted values (base weights expression 1, rotation 10, translation 10"
            + (
                f"; task term: sqrt(base² + gamma x head sensitivity²), share {args.task_share}, head {args.task_head})"
                if args.task_head
                else ")"
            ),
        },
    }
    manifest["transforms"] = [t for t in manifest.get("transforms", []) if t.get("kind") != "motion-klt"] + [entry]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if args.models.resolve() == (CODEC_CORE / "models").resolve():
        node = shutil.which("node")
        if node is None:
            print(f"node not found: run `node {GENERATOR.relative_to(REPO)}` to update codec-core's compiled-in copy")
        else:
            subprocess.run([node, str(GENERATOR)], check=True)
    print(f"motion transform {model_id}: {params['dims']} dims, coefficient std {params['coefficientStd'][:4]}...")


if __name__ == "__main__":
    main()
