"""Fit the deployed identity-code model on all LFW images and write the JSON contract + manifest.

    nice -n 10 training/.venv/bin/python -m training.idcode.export --recognizer faceapi \
        --config training/idcode/config.json --out packages/codec-core/models/identity-code

Writes <out>/model.json (read by codec-core and the Python reference) and <out>/manifest.json
(sha256, command, data, selection and metrics pointers).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from .evaluate import fit_models
from .code import cosine
from .data import LFW, REPO, FaceSet, best_threshold, pair_index, read_pairs, read_people
from .intmodel import IntModel, dump, to_json


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--recognizer", default="faceapi")
    p.add_argument("--config", default="training/idcode/config.json")
    p.add_argument("--out", default="packages/codec-core/models/identity-code")
    p.add_argument("--id", type=int, default=1)
    p.add_argument("--folds", help="instead: write LFW View 2 fold models fold-<k>.json (fitted without fold k's "
                                   "people, for semface eval) to this folder")
    a = p.parse_args()
    if a.folds:
        write_folds(a)
        return
    config = json.loads(Path(a.config).read_text())
    fs = FaceSet("lfw")
    x = fs.embeddings(a.recognizer)
    models = fit_models(x, config)
    js = to_json(models, x, a.id, config["recognizer"])
    # Receiver decision thresholds: best accuracy on LFW View 1 pairsDevTrain with this model.
    im = IntModel(js)
    pa, pb, py, _, _ = pair_index(fs, read_pairs(LFW / "pairsDevTrain.txt"))
    for r, rp in enumerate(js["ratePoints"]):
        v = im.vectors(x, r)
        rp["cosineThreshold"] = round(best_threshold(cosine(v[pa], v[pb]), py), 6)
    out = REPO / a.out
    out.mkdir(parents=True, exist_ok=True)
    dump(js, out / "model.json")
    bal = [round(float(np.mean(im.levels(x, r)[:, 0] == 0)), 4) for r in range(len(models))]
    manifest = {
        "file": "model.json",
        "sha256": hashlib.sha256((out / "model.json").read_bytes()).hexdigest(),
        "id": a.id,
        "command": "training/.venv/bin/python -m training.idcode.export " + " ".join(sys.argv[1:]),
        "data": f"LFW deep-funneled, all {x.shape[0]} images with a detected face (of 13,233), "
                f"{len(set(fs.labels))} people; embeddings from scripts/idcode/extract-landmarks.mjs",
        "recognizer": config["recognizer"],
        "ratePoints": [{**c, "dims": rp["dims"]} for c, rp in zip(config["ratePoints"], js["ratePoints"])],
        "selection": "docs/eval/idcode-selection.jsonl (LFW View 1 only)",
        "metrics": "docs/eval/identity-code.json (LFW View 2 per-fold refits; Yale with this model)",
        "cosineThresholds": [rp["cosineThreshold"] for rp in js["ratePoints"]],
        "trainingFirstDimLevel0Fraction": bal,
        "licence": "weights derived from LFW (research data): see NOTICE",
    }
    old = out / "manifest.json"
    if old.exists() and json.loads(old.read_text()).get("sha256") == manifest["sha256"]:
        manifest["metrics"] = json.loads(old.read_text()).get("metrics", manifest["metrics"])  # same model: keep
    old.write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=1))


def write_folds(a) -> None:
    config = json.loads(Path(a.config).read_text())
    fs = FaceSet("lfw")
    x = fs.embeddings(a.recognizer)
    folds = read_people(LFW / "people.txt")
    out = Path(a.folds)
    out.mkdir(parents=True, exist_ok=True)
    for k in range(10):
        people = set().union(*[folds[j] for j in range(10) if j != k])
        tr = np.array([l in people for l in fs.labels])
        js = to_json(fit_models(x[tr], config), x[tr], 0xF000 + k, {**config["recognizer"], "fold": k})
        dump(js, out / f"fold-{k}.json")
        print(f"fold {k}: {int(tr.sum())} training images -> {out / f'fold-{k}.json'}", flush=True)


if __name__ == "__main__":
    main()
