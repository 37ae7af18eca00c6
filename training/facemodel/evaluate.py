"""Metrics of a fitted mesh cache (output of packages/extractor/dist/cache/evaluate-face-model.js).

Usage:
  training/.venv/bin/python -m training.facemodel.evaluate artifacts/facemodel-eval/lfw [artifacts/facemodel-eval/videos] \
      [--manifest packages/extractor/models/face-model/face-model.json]

Reports, per split (train / held out): fit error in % IOD; on LFW View 1 test people
(peopleDevTest): within- vs between-person variance of the identity parts (0:80 shape, 144:224
texture); View 1 verification accuracy with a plain distance, threshold chosen on pairsDevTrain and
applied to pairsDevTest; pose under horizontal mirroring.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

from .build import HOLDOUT_CLIPS, read_people

ID = slice(0, 80)
TEX = slice(144, 224)
ROT = slice(224, 227)


def load(d: Path):
    desc = np.load(d / "descriptors.npy").astype(np.float64)
    mir = np.load(d / "mirrored.npy").astype(np.float64)
    fit = np.load(d / "fit.npy").astype(np.float64)
    meta = [json.loads(line) for line in (d / "meta.jsonl").read_text().splitlines() if line.strip()]
    return desc, mir, fit, meta


def read_pairs(path: Path):
    lines = [ln.split("\t") for ln in path.read_text().splitlines()[1:] if ln.strip()]
    out = []
    for p in lines:
        if len(p) == 3:
            out.append(((p[0], int(p[1])), (p[0], int(p[2])), True))
        elif len(p) == 4:
            out.append(((p[0], int(p[1])), (p[2], int(p[3])), False))
    return out


def fit_stats(err: np.ndarray) -> dict:
    return {
        "n": int(len(err)),
        "meanPercentIod": round(float(err.mean()), 3),
        "medianPercentIod": round(float(np.median(err)), 3),
        "p95PercentIod": round(float(np.percentile(err, 95)), 3),
    }


def within_between(x: np.ndarray, groups: list[str]) -> dict:
    keys = np.array(groups)
    within, means = [], []
    for g in np.unique(keys):
        rows = x[keys == g]
        means.append(rows.mean(0))
        if len(rows) > 1:
            within.append(rows - rows.mean(0))
    w = np.concatenate(within)
    wv = float((w**2).sum(1).mean())
    bv = float(((np.stack(means) - np.stack(means).mean(0)) ** 2).sum(1).mean())
    return {"withinVariance": round(wv, 3), "betweenVariance": round(bv, 3), "withinOverBetween": round(wv / bv, 3)}


def distances(feat: np.ndarray, index: dict, pairs, metric: str):
    d, same = [], []
    for a, b, s in pairs:
        if a not in index or b not in index:
            continue
        u, v = feat[index[a]], feat[index[b]]
        if metric == "cosine":
            d.append(1 - u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-12))
        else:
            d.append(np.linalg.norm(u - v))
        same.append(s)
    return np.array(d), np.array(same)


def best_threshold(d: np.ndarray, same: np.ndarray) -> float:
    cand = np.unique(d)
    acc = [((d <= t) == same).mean() for t in cand]
    return float(cand[int(np.argmax(acc))])


def main(argv: list[str]) -> None:
    manifest = None
    if "--manifest" in argv:
        i = argv.index("--manifest")
        manifest = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    lfw_root = Path(os.environ.get("SEMFACE_DATA_ROOT", "../shared/data")) / "lfw"
    test_people = read_people(lfw_root / "peopleDevTest.txt")
    report: dict = {}
    for d in map(Path, argv):
        desc, mir, fit, meta = load(d)
        src = meta[0]["source"]
        if src == "lfw":
            held = np.array([m["group"] in test_people for m in meta])
        else:
            held = np.array([m["group"] in HOLDOUT_CLIPS for m in meta])
        r = {
            "fitErrorTrain": fit_stats(fit[~held, 0]),
            "fitErrorHeldOut": fit_stats(fit[held, 0]),
            "fitMilliseconds": {"mean": round(float(fit[:, 1].mean()), 3), "median": round(float(np.median(fit[:, 1])), 3)},
        }
        deg = 180 / np.pi
        rot, rm = desc[:, ROT], mir[:, ROT]
        r["mirror"] = {
            "meanAbsPitchChangeDeg": round(float(np.abs(rm[:, 0] - rot[:, 0]).mean() * deg), 3),
            "meanAbsYawSumDeg": round(float(np.abs(rm[:, 1] + rot[:, 1]).mean() * deg), 3),
            "meanAbsRollSumDeg": round(float(np.abs(rm[:, 2] + rot[:, 2]).mean() * deg), 3),
            "meanAbsYawDeg": round(float(np.abs(rot[:, 1]).mean() * deg), 3),
            "meanAbsRollDeg": round(float(np.abs(rot[:, 2]).mean() * deg), 3),
        }
        groups = [m["group"] for m in meta]
        if src == "lfw":
            hg = [g for g, h in zip(groups, held) if h]
            r["identityHeldOut"] = {
                "shape0to80": within_between(desc[held][:, ID], hg),
                "texture144to224": within_between(desc[held][:, TEX], hg),
                "both": within_between(np.concatenate([desc[held][:, ID], desc[held][:, TEX]], 1), hg),
                "expression80to144": within_between(desc[held][:, 80:144], hg),
            }
            index = {(m["group"], m["index"]): i for i, m in enumerate(meta)}
            dev_train = read_pairs(lfw_root / "pairsDevTrain.txt")
            dev_test = read_pairs(lfw_root / "pairsDevTest.txt")
            feats = {
                "shape": desc[:, ID],
                "texture": desc[:, TEX],
                "shape+texture": np.concatenate([desc[:, ID], desc[:, TEX]], 1),
            }
            ver = {}
            for name, f in feats.items():
                for metric in ("cosine", "euclidean"):
                    dt, st = distances(f, index, dev_train, metric)
                    th = best_threshold(dt, st)
                    de, se = distances(f, index, dev_test, metric)
                    ver[f"{name}/{metric}"] = {
                        "threshold": round(th, 4),
                        "devTrainAccuracy": round(float(((dt <= th) == st).mean()), 4),
                        "devTestAccuracy": round(float(((de <= th) == se).mean()), 4),
                        "devTestPairs": int(len(de)),
                    }
            r["view1Verification"] = ver
        else:
            clips = {}
            for g in sorted(set(groups)):
                rows = np.array([x == g for x in groups])
                clips[g] = round(float(fit[rows, 0].mean()), 3)
            r["fitErrorPerClip"] = clips
            r["identity"] = {"shape0to80": within_between(desc[:, ID], groups)}
        report[src] = r
    print(json.dumps(report, indent=2))
    if manifest is not None:
        # The header's blob hash is unaffected: only the JSON gains the evaluation.
        header = json.loads(manifest.read_text())
        header.setdefault("training", {})["evaluation"] = {
            "command": "python -m training.facemodel.evaluate " + " ".join(argv),
            "fitter": "FaceFitter defaults, fitWithColors on the cached meshes and colours",
            **report,
        }
        manifest.write_text(json.dumps(header, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
