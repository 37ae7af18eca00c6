"""Identity-code numbers on reported splits (run once, after selection on View 1).

LFW View 2, 10 folds: for fold k the code is fitted on the images of the people of the other nine folds
(people.txt), the threshold is chosen on the other nine folds' pairs, fold k's pairs are scored.
Yale (out of domain): the deployed model (fitted on all LFW, as shipped) codes the 150 Yale images;
5 folds of 3 subjects: threshold (max balanced accuracy) on pairs among the other 12 subjects,
balanced accuracy on pairs among the held-out 3; mean over folds.

    nice -n 10 training/.venv/bin/python -m training.idcode.evaluate --recognizer faceapi \
        --config training/idcode/config.json [--model packages/codec-core/models/identity-code/model.json] \
        [--out docs/eval/identity-code.json]
"""

from __future__ import annotations

import argparse
import json
from itertools import combinations

import numpy as np

from .code import cosine, fit
from .data import LFW, FaceSet, accuracy, best_threshold, pair_index, read_pairs, read_people
from .intmodel import IntModel, to_json


def fit_models(x, config):
    return [fit(x, c["bits"], c["method"], c.get("k"), c.get("center", False)) for c in config["ratePoints"]]


def fit_int(x, labels, config):
    return IntModel(to_json(fit_models(x, config), x, 0, {}))


def balanced_best_threshold(s, y):
    cand = np.unique(s)
    best, bt = -1.0, 0.0
    for t in np.concatenate([cand[::max(1, len(cand) // 2000)], [cand[-1] + 1e-9]]):
        ba = 0.5 * (np.mean(s[y] >= t) + np.mean(s[~y] < t))
        if ba > best:
            best, bt = ba, t
    return bt


def yale_eval(vecs: np.ndarray, subjects: list[str]) -> float:
    subj = np.array(subjects)
    uniq = sorted(set(subjects))
    pairs = np.array(list(combinations(range(len(subjects)), 2)))
    s = cosine(vecs[pairs[:, 0]], vecs[pairs[:, 1]])
    y = subj[pairs[:, 0]] == subj[pairs[:, 1]]
    accs = []
    for f in range(5):
        held = set(uniq[3 * f:3 * f + 3])
        ha = np.array([subj[i] in held for i in pairs[:, 0]])
        hb = np.array([subj[i] in held for i in pairs[:, 1]])
        test, train = ha & hb, ~ha & ~hb
        t = balanced_best_threshold(s[train], y[train])
        accs.append(0.5 * (np.mean(s[test & y] >= t) + np.mean(s[test & ~y] < t)))
    return float(np.mean(accs))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--recognizer", default="faceapi")
    p.add_argument("--config", default="training/idcode/config.json")
    p.add_argument("--model", help="deployed model JSON (for Yale); default: fit on all LFW here")
    p.add_argument("--out")
    a = p.parse_args()
    config = json.loads(open(a.config).read())
    fs = FaceSet("lfw")
    x = fs.embeddings(a.recognizer)
    folds = read_people(LFW / "people.txt")
    pa, pb, py, pf, missing = pair_index(fs, read_pairs(LFW / "pairs.txt"))
    labels = np.array(fs.labels)
    n_rates = len(config["ratePoints"])
    raw, coded = [], [[] for _ in range(n_rates)]
    for k in range(10):
        tr_people = set().union(*[folds[j] for j in range(10) if j != k])
        tr = np.array([l in tr_people for l in labels])
        other, this = pf != k, pf == k

        def fold_acc(v):
            s = cosine(v[pa], v[pb])
            return accuracy(s[this], py[this], best_threshold(s[other], py[other]))

        raw.append(fold_acc(x))
        im = fit_int(x[tr], list(labels[tr]), config)
        for r in range(n_rates):
            coded[r].append(fold_acc(im.vectors(x, r)))
        print(f"fold {k}: raw {raw[-1]:.4f} " + " ".join(f"{c['bits']}b {coded[i][-1]:.4f}" for i, c in enumerate(config["ratePoints"])), flush=True)
    out = {
        "recognizer": a.recognizer, "missingPairs": int(missing),
        "lfwView2": {"split": "LFW View 2 pairs.txt, 10-fold (code fitted per fold on the other 9 folds' people)",
                     "uncompressed": {"mean": float(np.mean(raw)), "std": float(np.std(raw)), "folds": raw},
                     "ratePoints": [{"bits": c["bits"], "mean": float(np.mean(coded[i])), "std": float(np.std(coded[i])),
                                     "folds": coded[i]} for i, c in enumerate(config["ratePoints"])]},
    }
    yale = FaceSet("yale")
    xy = yale.embeddings(a.recognizer)
    dep = IntModel(json.loads(open(a.model).read())) if a.model else fit_int(x, list(labels), config)
    out["yale"] = {"split": "Yale (150 images), 5 subject-disjoint folds, balanced accuracy; deployed model fitted on all LFW",
                   "uncompressed": yale_eval(xy, yale.labels),
                   "ratePoints": [{"bits": c["bits"], "balancedAccuracy": yale_eval(dep.vectors(xy, r), yale.labels)}
                                  for r, c in enumerate(config["ratePoints"])]}
    print(json.dumps({k: v for k, v in out.items()}, indent=1)[:3000])
    if a.out:
        open(a.out, "w").write(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
