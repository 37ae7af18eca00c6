"""Measures a refinement (training/refine/train_refine.py output, artifacts/refine/<tag>/):

(a) expression head recipe (training.heads.train_expression, unchanged) trained on the refined FER2013 train
    cache and scored once on the refined FER2013 validation cache; codec variants = expression-profile codecs
    retrained on the refined train descriptors (training.codec.train.train_model, the production recipe, at
    --lambdas), so accuracyDecoded is the accuracy after the retrained codec;
(b) mesh displacement of the delta (% IOD) and the fit error it implies;
(c) bits per face of the retrained codecs on FER2013 validation (ideal code length from the frozen CDFs).

  training/.venv/bin/python -m training.refine.evaluate --tag A            # refined
  training/.venv/bin/python -m training.refine.evaluate --tag unrefined    # same, on the original caches
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from training.codec import layout
from training.codec.cdf import estimate_bits
from training.codec.evaluate import ExportedModel
from training.codec.export import export_files, write_model_dir
from training.codec.train import TrainConfig, train_model
from training.heads import train_expression
from training.heads.data import load_cache
from training.refine.common import ART, REPO

N_VAL_IMAGES = 3589


def train_codecs(x_train: np.ndarray, x_val: np.ndarray, out: Path, lambdas: list[float], epochs: int) -> list[dict]:
    cols = layout.profile_indices("expression")
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, lam in enumerate(lambdas):
        t0 = time.time()
        model, hist = train_model(x_train[:, cols], TrainConfig(profile="expression", lambda_r=lam, epochs=epochs), log=lambda s: None)
        files = export_files(model)
        mid, _ = write_model_dir(out, files)
        q, x_hat = ExportedModel(files).roundtrip(x_val[:, cols])
        bits = estimate_bits(q, json.loads(files["cdf.json"]))
        std = x_val[:, cols].std(0)
        e = {
            "id": mid,
            "profile": "expression",
            "rateIndex": i,
            "lambdaR": lam,
            "files": {"analysis": "analysis.onnx", "synthesis": "synthesis.onnx", "cdf": "cdf.json"},
            "metrics": {
                "split": "FER2013 validation rows with a face",
                "bitsPerDescriptor": float(bits.mean()),
                "bitsPerDescriptorP95": float(np.percentile(bits, 95)),
                "maeNormalised": float(np.mean(np.abs(x_val[:, cols] - x_hat) / np.maximum(std, 1e-6))),
                "maeExpression": float(np.mean(np.abs(x_val[:, cols][:, :64] - x_hat[:, :64]))),
            },
            "trainLast": hist[-1],
            "seconds": round(time.time() - t0),
        }
        print(json.dumps(e), flush=True)
        entries.append(e)
    (out / "manifest.json").write_text(json.dumps({"models": entries}, indent=1) + "\n")
    return entries


def displacement(tag_dir: Path, split: str) -> dict:
    from training.refine.common import MeshDisplacement

    delta = np.load(tag_dir / f"delta-{split}.npy")
    _, rows, _ = load_cache(tag_dir / f"fer2013-{split}.npy")
    fe = np.asarray([r["fitErrorPercent"] for r in rows])
    d = MeshDisplacement().numpy(delta)
    quad = np.sqrt(fe**2 + d**2)
    return {
        "rows": int(len(d)),
        "dispMean": float(d.mean()),
        "dispP50": float(np.median(d)),
        "dispP95": float(np.percentile(d, 95)),
        "dispMax": float(d.max()),
        "fitErrorToday": {"mean": float(fe.mean()), "p95": float(np.percentile(fe, 95))},
        "fitErrorAfterQuadrature": {"mean": float(quad.mean()), "p95": float(np.percentile(quad, 95))},
        "fitErrorAfterWorstCase": {"mean": float((fe + d).mean()), "p95": float(np.percentile(fe + d, 95))},
        "deltaAbsMeanPerCoef": np.round(np.abs(delta).mean(0), 3).tolist(),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tag", required=True, help="artifacts/refine/<tag>; 'unrefined' = the original caches")
    ap.add_argument("--lambdas", type=float, nargs="*", default=[1e-3, 2e-4])
    ap.add_argument("--codec-epochs", type=int, default=25)
    ap.add_argument("--ensemble", type=int, default=3)
    ap.add_argument("--head-epochs", type=int, default=25)
    ap.add_argument("--production-codecs", action="store_true", help="codec variants = packages/codec-core/models (no retraining)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    tag_dir = ART / args.tag
    tag_dir.mkdir(parents=True, exist_ok=True)
    if args.tag == "unrefined":
        tr, va = REPO / "artifacts/cache/fer2013-train.npy", REPO / "artifacts/cache/fer2013-validation.npy"
    else:
        tr, va = tag_dir / "fer2013-train.npy", tag_dir / "fer2013-validation.npy"
    report: dict = {"tag": args.tag, "train": str(tr.relative_to(REPO)), "val": str(va.relative_to(REPO))}
    if args.tag != "unrefined":
        report["displacement"] = {s: displacement(tag_dir, s) for s in ("train", "validation")}
        print(json.dumps(report["displacement"]["validation"]), flush=True)
    xtr, _, _ = load_cache(tr)
    xva, _, _ = load_cache(va)
    if args.production_codecs:
        codec_dir = REPO / "packages/codec-core/models"
        report["codecs"] = []
    else:
        codec_dir = tag_dir / "codec"
        report["codecs"] = train_codecs(xtr, xva, codec_dir, args.lambdas, args.codec_epochs) if args.lambdas else []
    heads = tag_dir / "heads"
    train_expression.main(
        ["--train", str(tr), "--val", str(va), "--codec-models", str(codec_dir), "--out", str(heads), "--ensemble", str(args.ensemble), "--epochs", str(args.head_epochs)]
    )
    head = [h for h in json.loads((heads / "manifest.json").read_text())["heads"] if h["kind"] == "expression"][0]
    m = head["metrics"]
    rows = m["rows"]
    scale = rows / N_VAL_IMAGES
    report["head"] = {
        "selectionAccuracy": m["selectionAccuracy"],
        "selectedEpoch": m["selectedEpoch"],
        "valRowsWithFace": rows,
        "cleanAccuracyRowsWithFace": m["accuracyClean"],
        "cleanAccuracyAll3589": m["accuracyClean"] * scale,
        "decoded": {
            k: {"accuracyRowsWithFace": v, "accuracyAll3589": v * scale, "bits": next((c["metrics"]["bitsPerDescriptor"] for c in report["codecs"] if k == f"expression-r{c['rateIndex']}"), None)}
            for k, v in m["accuracyDecoded"].items()
        },
    }
    print(json.dumps(report["head"], indent=1))
    (tag_dir / "report.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
