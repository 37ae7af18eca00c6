"""Selection on LFW View 1 only: train on peopleDevTrain people, threshold on pairsDevTrain, score pairsDevTest.

    nice -n 10 training/.venv/bin/python -m training.idcode.select_view1 --recognizers faceapi,mobilefacenet \
        [--log docs/eval/idcode-selection.jsonl]

Prints (and appends to the log) one line per (recogniser, raw | rate config).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from .code import cosine, fit, l2n
from .data import LFW, FaceSet, accuracy, best_threshold, pair_index, read_pairs, read_people

CONFIGS = {  # total bits -> candidate transforms (method, k for itq, centred)
    b: [("alloc", None, False), ("alloc", None, True)] + [("itq", k, c) for k in (b, b // 2, b // 4)
                                                         if 8 <= k <= 256 for c in (False, True)]
    for b in (32, 64, 128, 256, 512)
}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--recognizers", default="faceapi")
    p.add_argument("--rates", default="32,64,128,256,512")
    p.add_argument("--log")
    a = p.parse_args()
    fs = FaceSet("lfw")
    train_people = read_people(LFW / "peopleDevTrain.txt")[0]
    tr = np.array([l in train_people for l in fs.labels])
    pa, pb, py, _, miss_tr = pair_index(fs, read_pairs(LFW / "pairsDevTrain.txt"))
    ta, tb, ty, _, miss_te = pair_index(fs, read_pairs(LFW / "pairsDevTest.txt"))
    lines = []

    def score(name, fa, fb):
        t = best_threshold(fa(pa, pb), py)
        acc = accuracy(fb(ta, tb), ty, t)
        return acc

    for rec in a.recognizers.split(","):
        x = fs.embeddings(rec)
        sim = lambda i, j: cosine(x[i], x[j])  # noqa: E731
        acc = score(rec, sim, sim)
        lines.append({"recognizer": rec, "config": "raw-cosine", "view1DevTest": acc, "dim": x.shape[1]})
        print(json.dumps(lines[-1]), flush=True)
        # centred cosine (mean of training people)
        mu = l2n(x[tr]).mean(0)
        xc = l2n(x) - mu
        simc = lambda i, j: cosine(xc[i], xc[j])  # noqa: E731
        lines.append({"recognizer": rec, "config": "centred-cosine", "view1DevTest": score(rec, simc, simc)})
        print(json.dumps(lines[-1]), flush=True)
        for rate in a.rates.split(","):
            for method, k, center in CONFIGS[int(rate)]:
                if k is not None and (k > x.shape[1] or int(rate) % k or int(rate) // k > 8):
                    continue
                t0 = time.time()
                cm = fit(x[tr], int(rate), method, k, center)
                y = cm.decode(cm.encode(x))
                s = lambda i, j: cosine(y[i], y[j])  # noqa: E731
                lines.append({"recognizer": rec, "bits": int(rate), "method": method, "k": k, "center": center,
                              "dims": int(cm.k), "view1DevTest": score(rec, s, s),
                              "trainImages": int(tr.sum()), "secs": round(time.time() - t0, 1)})
                print(json.dumps(lines[-1]), flush=True)
    print(f"missing pairs: devTrain {miss_tr}, devTest {miss_te}")
    if a.log:
        with open(a.log, "a") as f:
            for l in lines:
                f.write(json.dumps({**l, "split": "LFW View 1 (train peopleDevTrain, threshold pairsDevTrain, score pairsDevTest)"}) + "\n")


if __name__ == "__main__":
    main()
